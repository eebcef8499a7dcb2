package io.iris.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.schemas.avro.CompressedWorkload;
import io.iris.schemas.avro.CompressionAlgorithm;
import io.iris.schemas.avro.CostMetric;
import io.iris.schemas.avro.Coverage;
import io.iris.schemas.avro.Representative;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The summary {@code ./iris up} ends with, worded from what the pipeline produced. */
class PipelineSummaryTest {
  private static final long SHOP = 1_384_119_271L;
  private static final long CRM = 2_917_331_044L;

  private static Representative representative(String id, String text, double share) {
    return Representative.newBuilder()
        .setTemplateId(id)
        .setTemplateText(text)
        .setWeight(share * 1000)
        .setCostShare(share)
        .setUtility(1)
        .setRepresentedTemplates(3)
        .build();
  }

  private static CompressedWorkload workload(long dbid, long snapId, List<Representative> reps) {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return CompressedWorkload.newBuilder()
        .setWorkload(Long.toString(dbid))
        .setWindowStart(t)
        .setWindowEnd(t)
        .setComputedAt(t)
        .setTriggeringSnapId(snapId)
        .setAlgorithm(CompressionAlgorithm.ISUM)
        .setK(10)
        .setTargetCoverage(null)
        .setRandomSeed(null)
        .setCostMetric(CostMetric.ELAPSED)
        .setTotalTemplates(44)
        .setTotalExecutions(100_000)
        .setTotalCost(1000)
        .setRepresentatives(reps)
        .setCoverage(
            Coverage.newBuilder()
                .setCostCoverage(0.7812)
                .setColumnCoverage(0.913)
                .setTableCoverage(1.0)
                .build())
        .build();
  }

  /** The demo's shape: one source, a two-instance RAC and a single instance. */
  private static PipelineSummary demo() {
    PipelineSummary summary = new PipelineSummary();
    for (int snap = 0; snap < 24; snap++) {
      summary.snapshot("sim", SHOP, "SHOP", 1);
      summary.snapshot("sim", SHOP, "SHOP", 2);
      summary.snapshot("sim", CRM, null, 1);
    }
    for (int i = 0; i < 4620; i++) {
      summary.observation("t" + (i % 61));
    }
    summary.workload(workload(SHOP, 1023, List.of(representative("t1", "SELECT 1", 0.1))));
    summary.workload(
        workload(
            SHOP,
            1024,
            List.of(
                representative("t5", "SELECT o.id\n  FROM orders o WHERE o.id = :1", 0.05),
                representative(
                    "t7",
                    "SELECT c.name, SUM(o.total) FROM customers c JOIN orders o ON o.customer_id ="
                        + " c.id GROUP BY c.name ORDER BY 2 DESC",
                    0.214),
                representative("t9", "UPDATE stock SET qty = qty - :1 WHERE item = :2", 0.12),
                representative("t3", "DELETE FROM carts WHERE created < :1", 0.01))));
    for (int i = 0; i < 4100; i++) {
      summary.featureRow();
    }
    summary.offline(new PipelineSummary.Offline(4090, ".iris/offline", 18));
    summary.online(Set.of("t1", "t7", "t9"), "redis://127.0.0.1:6379/0");
    summary.featureApi("http://127.0.0.1:8184");
    summary.services(
        List.of(
            new PipelineSummary.Endpoint("collector", "http://127.0.0.1:8181"),
            new PipelineSummary.Endpoint("feature", "http://127.0.0.1:8184")));
    return summary;
  }

  @Test
  void saysWhatWasCollectedTemplatedCompressedAndWrittenAndWhereToLook() {
    assertEquals(
        List.of(
            "",
            "What the pipeline made of it",
            "snapshots  72 collected from sim: SHOP (1384119271) 48 from 2 instances, 2917331044 24"
                + " from 1 instance",
            "templates  61 distinct in sql.templates, from 4,620 statements observed",
            "compressed SHOP (1384119271): 4 representatives of 44 templates, up to snapshot 1024"
                + " (ISUM, k=10, cost ELAPSED)",
            "             coverage: cost 78.1%, indexable columns 91.3%, tables 100.0%",
            "             heaviest:  21.4%  SELECT c.name, SUM(o.total) FROM customers c JOIN orders o"
                + " ON o.custo...",
            "                        12.0%  UPDATE stock SET qty = qty - :1 WHERE item = :2",
            "                         5.0%  SELECT o.id FROM orders o WHERE o.id = :1",
            "features   4,100 rows in the features topic",
            "           4,090 rows in the Parquet offline store, 18 files under .iris/offline",
            "           3 of 61 templates served online (Redis at redis://127.0.0.1:6379/0)",
            "try        curl -s http://127.0.0.1:8184/features/t7",
            "           curl -s -X POST http://127.0.0.1:8184/features/batch -H 'Content-Type:"
                + " application/json' -d '{\"templateIds\": [\"t7\"]}'",
            "metrics    collector   http://127.0.0.1:8181/metrics   http://127.0.0.1:8181/health/ready",
            "           feature     http://127.0.0.1:8184/metrics   http://127.0.0.1:8184/health/ready",
            "prometheus scrape 127.0.0.1:8181, 127.0.0.1:8184 at /metrics (jobs, rules and alerts:"
                + " compose/prometheus/)"),
        demo().lines());
  }

  @Test
  void theSampleTemplateIsTheFirstRepresentativeServedOnline() {
    PipelineSummary summary = demo();
    assertEquals(Optional.of("t7"), summary.sampleTemplate(), "t5 was picked first, not online");
    summary.online(Set.of("t40", "t30"), "redis://127.0.0.1:6379/0");
    assertEquals(Optional.of("t30"), summary.sampleTemplate(), "no representative online");
    summary.online(Set.of(), "redis://127.0.0.1:6379/0");
    assertEquals(Optional.empty(), summary.sampleTemplate());
    assertTrue(
        summary.toString().contains("try        no template is online yet"), summary.toString());
  }

  @Test
  void anEmptyPipelineAndWhatCouldNotBeReadAreSaid() {
    PipelineSummary summary = new PipelineSummary();
    summary.note("cannot read features: timed out");
    String text = summary.toString();
    assertTrue(text.contains("snapshots  none collected yet"), text);
    assertTrue(text.contains("templates  0 distinct in sql.templates"), text);
    assertTrue(text.contains("compressed no compressed workload yet"), text);
    assertTrue(text.contains("note       cannot read features: timed out"), text);
    assertTrue(!text.contains("curl") && !text.contains("prometheus"), text);
  }

  @Test
  void onlyFinishedParquetFilesAreCounted(@TempDir Path dir) throws Exception {
    Path day = Files.createDirectories(dir.resolve("features/v1/dbid=1/date=2026-01-01"));
    Files.writeString(
        day.resolve("features-0-00000000000000000000-00000000000000000009.parquet"), "");
    Files.writeString(
        day.resolve("features-1-00000000000000000000-00000000000000000004.parquet"), "");
    Files.writeString(
        day.resolve(".features-2-00000000000000000000-00000000000000000004.parquet.tmp"), "");
    assertEquals(2, PipelineTally.parquetFiles(dir));
    assertEquals(0, PipelineTally.parquetFiles(dir.resolve("absent")));
  }
}
