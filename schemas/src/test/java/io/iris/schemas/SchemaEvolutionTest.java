package io.iris.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaEvolutionTest {
  private static final Path RELEASED = Path.of("released");

  @Test
  void theContractIsBackwardCompatibleWithEveryReleasedVersion() {
    List<SchemaEvolution.Incompatibility> problems = SchemaEvolution.checkAll(RELEASED);
    assertTrue(problems.isEmpty(), () -> "incompatible schema changes: " + problems);
  }

  @Test
  void removingAFieldWithoutDefaultFromTheReaderIsAllowedButAddingOneIsCaught(@TempDir Path dir)
      throws Exception {
    Schema v1 =
        SchemaBuilder.record("Thing")
            .fields()
            .requiredString("id")
            .requiredLong("size")
            .endRecord();
    Files.createDirectories(dir.resolve("Thing"));
    Files.writeString(dir.resolve("Thing").resolve("v1.avsc"), v1.toString());

    Schema addedWithDefault =
        SchemaBuilder.record("Thing")
            .fields()
            .requiredString("id")
            .requiredLong("size")
            .name("unit")
            .type()
            .stringType()
            .stringDefault("bytes")
            .endRecord();
    assertTrue(SchemaEvolution.check(dir, "Thing", addedWithDefault).isEmpty());

    Schema addedWithoutDefault =
        SchemaBuilder.record("Thing")
            .fields()
            .requiredString("id")
            .requiredLong("size")
            .requiredString("unit")
            .endRecord();
    List<SchemaEvolution.Incompatibility> problems =
        SchemaEvolution.check(dir, "Thing", addedWithoutDefault);
    assertEquals(1, problems.size());
    assertEquals("v1", problems.get(0).releasedVersion());
    assertTrue(problems.get(0).toString().contains("unit"), problems.get(0).toString());
  }

  @Test
  void changingAFieldsTypeIsCaught(@TempDir Path dir) throws Exception {
    Schema v1 = SchemaBuilder.record("Thing").fields().requiredString("size").endRecord();
    Files.createDirectories(dir.resolve("Thing"));
    Files.writeString(dir.resolve("Thing").resolve("v1.avsc"), v1.toString());
    Schema changed = SchemaBuilder.record("Thing").fields().requiredLong("size").endRecord();
    assertEquals(1, SchemaEvolution.check(dir, "Thing", changed).size());
  }

  @Test
  void aTypeWithoutAReleasedVersionIsReported(@TempDir Path dir) {
    List<SchemaEvolution.Incompatibility> problems = SchemaEvolution.checkAll(dir);
    assertEquals(7, problems.size(), problems::toString);
    assertTrue(problems.get(0).description().contains("no released version"));
  }
}
