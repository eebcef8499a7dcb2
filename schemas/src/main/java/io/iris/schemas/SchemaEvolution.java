package io.iris.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * Guards the public contract: a schema may change only in ways that let consumers using it read
 * everything written with every released version (BACKWARD, as the registry enforces). Released
 * versions are kept in the repo under {@code schemas/released/<Type>/v<N>.avsc}.
 */
public final class SchemaEvolution {
  private SchemaEvolution() {}

  /** One released version that the current schema cannot read. */
  public record Incompatibility(String type, String releasedVersion, String description) {
    @Override
    public String toString() {
      return type
          + " is not BACKWARD compatible with released "
          + releasedVersion
          + ": "
          + description;
    }
  }

  /**
   * Checks {@code current} (the schema a consumer now reads with) against every released version of
   * {@code type} in {@code releasedDir}; empty when all are readable.
   */
  public static List<Incompatibility> check(Path releasedDir, String type, Schema current) {
    Path dir = releasedDir.resolve(type);
    List<Incompatibility> problems = new ArrayList<>();
    for (Path released : releasedVersions(dir)) {
      Schema writer = parse(released);
      SchemaPairCompatibility result =
          SchemaCompatibility.checkReaderWriterCompatibility(current, writer);
      if (result.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
        String version = released.getFileName().toString().replace(".avsc", "");
        result
            .getResult()
            .getIncompatibilities()
            .forEach(
                i ->
                    problems.add(
                        new Incompatibility(
                            type,
                            version,
                            i.getType() + " at " + i.getLocation() + ": " + i.getMessage())));
      }
    }
    return problems;
  }

  /** Checks every topic's value schema; empty when the whole contract is compatible. */
  public static List<Incompatibility> checkAll(Path releasedDir) {
    List<Incompatibility> problems = new ArrayList<>();
    // Dead-letter topics share one type: check each distinct value schema once.
    List<Schema> schemas = Topics.all().stream().map(Topic::valueSchema).distinct().toList();
    for (Schema schema : schemas) {
      if (releasedVersions(releasedDir.resolve(schema.getName())).isEmpty()) {
        problems.add(
            new Incompatibility(
                schema.getName(),
                "none",
                "no released version is kept: copy the schema to "
                    + releasedDir.resolve(schema.getName()).resolve("v1.avsc")));
        continue;
      }
      problems.addAll(check(releasedDir, schema.getName(), schema));
    }
    return problems;
  }

  private static List<Path> releasedVersions(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".avsc")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Schema parse(Path file) {
    try {
      return new Schema.Parser().parse(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read released schema " + file, e);
    }
  }
}
