package io.iris.feature;

import static io.iris.feature.OfflineRows.files;
import static io.iris.feature.OfflineRows.full;
import static io.iris.feature.OfflineRows.row;
import static io.iris.feature.OfflineRows.sparse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.schemas.avro.FeatureVector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfflineStoreTest {
  private static final Instant T = Instant.parse("2026-11-26T10:00:00Z");

  @TempDir Path root;

  @Test
  void everyFieldReadsBackAsWrittenNullsIncluded() throws IOException {
    OfflineStore store = new OfflineStore(root);
    FeatureVector everything = full("aaaa000000000001", 42, T);
    FeatureVector nothing = sparse("aaaa000000000002", 42, T);
    store.write(0, 0, 1, List.of(everything, nothing));

    List<FeatureVector> read = store.rows(OptionalLong.empty());
    assertEquals(List.of(everything, nothing), read);
    for (Schema.Field field : FeatureVector.getClassSchema().getFields()) {
      assertEquals(everything.get(field.pos()), read.get(0).get(field.pos()), field.name());
    }
    assertEquals(T, read.get(0).getEventTime());
    assertNull(read.get(1).getExecutions(), "an unknown feature stays unknown, not 0");
    assertNull(read.get(1).getIsRepresentative());
    assertEquals("v1", read.get(1).getFeatureSetVersion());
  }

  @Test
  void aBatchIsOneFilePerDbidAndUtcDateNamedByPartitionAndOffsets() throws IOException {
    OfflineStore store = new OfflineStore(root);
    List<Path> written =
        store.write(
            3,
            1_000,
            1_999,
            List.of(
                sparse("t1", 42, Instant.parse("2026-11-26T23:59:59.999Z")),
                sparse("t2", 42, Instant.parse("2026-11-27T00:00:00Z")),
                sparse("t3", 7, Instant.parse("2026-11-26T12:00:00Z")),
                sparse("t4", 42, Instant.parse("2026-11-26T00:00:00Z"))));

    String name = "features-3-00000000000000001000-00000000000000001999.parquet";
    List<String> expected =
        List.of(
            "dbid=42/date=2026-11-26/" + name,
            "dbid=42/date=2026-11-27/" + name,
            "dbid=7/date=2026-11-26/" + name);
    assertEquals(expected, files(store.directory()), "no temporary file is left either");
    assertEquals(root.resolve("features/v1"), store.directory());
    assertEquals(expected.stream().map(store.directory()::resolve).toList(), written);
    assertEquals(
        List.of("t1", "t4"),
        OfflineStore.read(store.directory().resolve(expected.get(0))).stream()
            .map(FeatureVector::getTemplateId)
            .toList());
    assertEquals(name, OfflineStore.fileName(3, 1_000, 1_999));
    assertEquals(List.of(), store.write(3, 2_000, 2_000, List.of()), "an empty batch: no file");
  }

  @Test
  void asOfGivesEachTemplatesLatestRowAtOrBeforeTheTimeNeverLater() throws IOException {
    OfflineStore store = new OfflineStore(root);
    Instant t1 = Instant.parse("2026-11-25T22:00:00Z");
    Instant t2 = Instant.parse("2026-11-26T09:00:00Z");
    Instant t3 = Instant.parse("2026-11-26T11:00:00Z");
    Instant t4 = Instant.parse("2026-11-27T01:00:00Z");
    store.write(
        0,
        0,
        4,
        List.of(
            row("a", 1, t1, 11), row("a", 1, t2, 12), row("b", 1, t1, 21), row("c", 2, t3, 31)));
    store.write(0, 5, 7, List.of(row("a", 2, t3, 13), row("b", 2, t4, 22), row("d", 2, t4, 41)));

    Map<String, FeatureVector> at10 = store.asOf(Instant.parse("2026-11-26T10:00:00Z"));
    assertEquals(List.of("a", "b"), List.copyOf(at10.keySet()), "c and d come later");
    assertEquals(12L, at10.get("a").getExecutions());
    assertEquals(21L, at10.get("b").getExecutions());

    Map<String, FeatureVector> atT3 = store.asOf(t3);
    assertEquals(13L, atT3.get("a").getExecutions(), "a row exactly at the as-of time counts");
    assertEquals(31L, atT3.get("c").getExecutions());
    assertFalse(atT3.containsKey("d"));
    assertEquals(
        12L,
        store.asOf(t3.minusMillis(1)).get("a").getExecutions(),
        "one millisecond earlier: the row before");

    Map<String, FeatureVector> later = store.asOf(Instant.parse("2026-12-01T00:00:00Z"));
    assertEquals(List.of("a", "b", "c", "d"), List.copyOf(later.keySet()));
    assertEquals(22L, later.get("b").getExecutions());

    Map<String, FeatureVector> dbid1 = store.asOf(t4, OptionalLong.of(1));
    assertEquals(List.of("a", "b"), List.copyOf(dbid1.keySet()));
    assertEquals(12L, dbid1.get("a").getExecutions(), "dbid 2's later row of a is not looked at");
    assertEquals(21L, dbid1.get("b").getExecutions());
    assertEquals(
        List.of("a", "b", "c", "d"), List.copyOf(store.asOf(t4, OptionalLong.of(2)).keySet()));
    assertTrue(store.asOf(t1.minusSeconds(1)).isEmpty());
    assertTrue(new OfflineStore(root.resolve("empty")).asOf(t4).isEmpty());
  }

  @Test
  void rowsAtTheSameEventTimeResolveTheSameWayWhateverTheOrder() throws IOException {
    FeatureVector dbid9 = row("a", 9, T, 9);
    FeatureVector instance1 = row("a", 5, T, 51);
    instance1.setSnapId(instance1.getSnapId() + 1);
    FeatureVector instance2 = row("a", 5, T, 52);
    instance2.setInstanceNumber(2);
    FeatureVector snap = row("a", 3, T, 30);
    FeatureVector nextSnap = row("a", 3, T, 31);
    nextSnap.setSnapId(snap.getSnapId() + 1);
    List<FeatureVector> rows = List.of(instance1, dbid9, snap, instance2, nextSnap);

    for (List<FeatureVector> order : List.of(rows, rows.reversed())) {
      OfflineStore store = new OfflineStore(Files.createTempDirectory(root, "store"));
      store.write(0, 0, 4, order);
      assertEquals(9L, store.asOf(T).get("a").getExecutions(), "the highest dbid");
      assertEquals(
          52L,
          store.asOf(T, OptionalLong.of(5)).get("a").getExecutions(),
          "then the highest instance");
      assertEquals(
          31L,
          store.asOf(T, OptionalLong.of(3)).get("a").getExecutions(),
          "then the highest snapshot");
    }
  }

  @Test
  void directoriesAfterTheAsOfDateAndOfOtherDbidsAreNotRead() throws IOException {
    OfflineStore store = new OfflineStore(root);
    store.write(0, 0, 0, List.of(row("a", 1, T, 1)));
    // Files that cannot be read: a read that opens them fails.
    String name = OfflineStore.fileName(0, 1, 1);
    Path tomorrow = store.directory().resolve("dbid=1/date=2026-11-27");
    Path otherDbid = store.directory().resolve("dbid=2/date=2026-11-26");
    Files.createDirectories(tomorrow);
    Files.createDirectories(otherDbid);
    Files.writeString(tomorrow.resolve(name), "not parquet");
    Files.writeString(otherDbid.resolve(name), "not parquet");

    assertEquals(1L, store.asOf(T.plusSeconds(3600), OptionalLong.of(1)).get("a").getExecutions());
    IOException e = assertThrows(IOException.class, () -> store.asOf(T), "dbid 2's file is read");
    assertTrue(e.getMessage().contains(otherDbid.resolve(name).toString()), e.getMessage());
  }

  @Test
  void aCrashBeforeTheOffsetCommitLeavesNeitherLossNorDuplicates() throws IOException {
    OfflineStore store = new OfflineStore(root);
    Instant day2 = T.plusSeconds(86_400);
    store.write(1, 0, 99, List.of(row("a", 1, T, 1), row("b", 2, T, 1)));
    store.write(10, 0, 99, List.of(row("c", 1, T, 1)));
    // Partition 1's batch 100..199 is renamed into place, then the process dies before the
    // consumer commits offset 200: the committed offset is still 100.
    List<FeatureVector> uncommitted = List.of(row("a", 1, day2, 2), row("b", 2, day2, 2));
    store.write(1, 100, 199, uncommitted);
    // A crash in the middle of a later write left temporary files of partitions 1 and 10.
    Path dir = store.directory().resolve("dbid=1/date=2026-11-26");
    Path tempOf1 = dir.resolve("." + OfflineStore.fileName(1, 200, 299) + ".tmp");
    Path tempOf10 = dir.resolve("." + OfflineStore.fileName(10, 100, 199) + ".tmp");
    Files.writeString(tempOf1, "half a file");
    Files.writeString(tempOf10, "half a file");

    List<Path> deleted = store.discardUncommitted(1, 100);

    assertEquals(3, deleted.size(), deleted.toString());
    assertTrue(deleted.contains(tempOf1));
    assertFalse(Files.exists(tempOf1));
    assertTrue(Files.exists(tempOf10), "another partition's files are not touched");
    assertEquals(3, store.rows(OptionalLong.empty()).size(), "only the committed rows are left");
    assertEquals(1L, store.asOf(day2).get("a").getExecutions());

    // The consumer seeks to 100 and consumes the batch again.
    store.write(1, 100, 199, uncommitted);
    assertEquals(5, store.rows(OptionalLong.empty()).size(), "every row once");
    assertEquals(2L, store.asOf(day2).get("a").getExecutions());
    assertEquals(
        List.of(),
        store.discardUncommitted(1, 200),
        "after the commit of 200 nothing is uncommitted");
    assertEquals(List.of(), new OfflineStore(root.resolve("none")).discardUncommitted(1, 0));
  }

  @Test
  void aBatchThatCannotBeWrittenFailsClearlyAndLeavesNoFile() throws IOException {
    OfflineStore store = new OfflineStore(root);
    // A regular file where dbid 9's directory belongs: nothing can be created under it, even as
    // root (which file permissions would not stop).
    Path blocked = store.directory().resolve("dbid=9");
    Files.createDirectories(store.directory());
    Files.writeString(blocked, "in the way");

    IOException e =
        assertThrows(
            IOException.class,
            () -> store.write(0, 0, 1, List.of(row("a", 7, T, 1), row("b", 9, T, 1))));

    assertTrue(
        e.getMessage().contains(blocked.resolve("date=2026-11-26").toString()), e.getMessage());
    assertTrue(e.getMessage().contains("Not a directory"), e.getMessage());
    assertEquals(
        List.of("dbid=9"), files(store.directory()), "dbid 7's file of the batch is gone too");
    assertTrue(store.asOf(T).isEmpty());

    Files.delete(blocked);
    store.write(0, 0, 1, List.of(row("a", 7, T, 1), row("b", 9, T, 1)));
    assertEquals(2, store.asOf(T).size(), "the same batch goes through once the way is clear");
  }
}
