package io.iris.feature;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.schemas.avro.FeatureVector;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** docs/FEATURES.md lists every field of the feature vector. */
class FeaturesDocTest {
  @Test
  void everyFeatureIsDocumented() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "FEATURES.md"));
    for (Schema.Field field : FeatureVector.getClassSchema().getFields()) {
      assertTrue(
          doc.contains("| `" + field.name() + "` |"), field.name() + " is not in docs/FEATURES.md");
    }
  }
}
