package io.iris.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.iris.collector.AwrRows.InstanceKey;
import io.iris.collector.AwrRows.Snapshot;
import io.iris.infra.LocalInfra;
import io.iris.infra.LocalInfraExtension;
import io.iris.platform.KafkaSettings;
import io.iris.schemas.avro.CollectorCheckpoint;
import io.iris.schemas.registry.RegistryConfig;
import io.iris.schemas.registry.SchemaRegistryClient;
import io.iris.simulator.SimulatorConfig;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Collect-and-publish time of one snapshot with 1,000 statements (texts up to 100 KB, one of 1 MB),
 * from the H2 stand-in to the real broker. Run with {@code ./iris bench}; prints p50, p95, max and
 * heap, asserts nothing about time.
 */
@Tag("benchmark")
@ExtendWith(LocalInfraExtension.class)
class CollectorBenchmarkTest {
  private static final int WARMUP = 5;
  private static final int MEASURED = 30;

  @Test
  void oneThousandStatementSnapshots(LocalInfra infra) throws Exception {
    CollectorKafkaTest.topics(infra);
    SimulatorConfig config =
        SimulatorConfig.standard(1)
            .withDatabases(List.of(new SimulatorConfig.Database("BENCH", 77, 1)))
            .withRestart(Optional.empty())
            .withStatementsPerSnapshot(1000)
            .withLongTexts(100_000);
    try (SimulatedAwr awr = new SimulatedAwr(config)) {
      awr.simulator.generate(WARMUP + MEASURED + 1);
      Source source = awr.source("bench");
      KafkaSettings kafka =
          new KafkaSettings(CollectorKafkaTest.config(infra, "earliest"), "bench");
      SchemaRegistryClient registry =
          new SchemaRegistryClient(
              RegistryConfig.from(Map.of(RegistryConfig.URL, infra.schemaRegistryUrl())));
      AwrReader reader = new AwrReader(awr.connection, source, 60);
      SnapshotAssembler assembler = new SnapshotAssembler(reader, source);
      InstanceKey key = new InstanceKey(77, 1);
      List<Snapshot> rows = reader.snapshotsAfter(key, 1001, 1000);
      List<Long> micros = new ArrayList<>();
      long maxHeap = 0;
      int statements = 0;
      long textChars = 0;
      try (KafkaSnapshotSink sink =
          new KafkaSnapshotSink(
              kafka.producer("bench-" + System.nanoTime()), registry, kafka.serde())) {
        for (int i = 0; i < rows.size(); i++) {
          long started = System.nanoTime();
          SnapshotAssembler.Collected collected =
              assembler.assemble(key, rows.get(i), k -> false, Instant.now());
          sink.publish(
              collected,
              CollectorCheckpoint.newBuilder()
                  .setSource("bench")
                  .setDbid(77)
                  .setInstanceNumber(1)
                  .setSnapId(rows.get(i).snapId())
                  .setEndIntervalTime(rows.get(i).end())
                  .setCommittedAt(Instant.now())
                  .build());
          long took = (System.nanoTime() - started) / 1000;
          if (i >= WARMUP) {
            micros.add(took);
            statements = collected.snapshot().getSqlStats().size();
            textChars =
                Math.max(
                    textChars,
                    collected.snapshot().getSqlStats().stream()
                        .mapToLong(s -> s.getSqlText() == null ? 0 : s.getSqlText().length())
                        .sum());
          }
          maxHeap =
              Math.max(maxHeap, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
      }
      assertEquals(MEASURED, micros.size());
      List<Long> sorted = micros.stream().sorted().toList();
      System.out.printf(
          "BENCH collector: %d snapshots of %d statements (up to %.1f MB of SQL text each, longest text 1 MB):"
              + " p50 %.1f ms, p95 %.1f ms, max %.1f ms; heap used at most %d MB (-Xmx1g)%n",
          MEASURED,
          statements,
          textChars / 1e6,
          sorted.get(MEASURED / 2) / 1000.0,
          sorted.get((int) Math.ceil(MEASURED * 0.95) - 1) / 1000.0,
          sorted.get(MEASURED - 1) / 1000.0,
          maxHeap / (1024 * 1024));
    }
  }
}
