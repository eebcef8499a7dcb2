package io.iris.feature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.platform.ConfigurationException;
import io.iris.platform.IrisConfig;
import io.iris.platform.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeatureSettingsTest {
  @Test
  void defaultsWorkAgainstTheLocalStackAndBadValuesNameTheVariable() {
    FeatureSettings s = FeatureSettings.from(new IrisConfig(Map.of()));
    assertEquals(6, s.partitions());
    assertEquals(Duration.ofSeconds(30), s.contextWait());
    assertEquals(Duration.ofDays(7), s.onlineTtl());
    assertEquals(Path.of(".iris/offline"), s.offlineDir());
    assertEquals(
        Duration.ZERO,
        FeatureSettings.from(new IrisConfig(Map.of("IRIS_FEATURE_ONLINE_TTL_HOURS", "0")))
            .onlineTtl());
    String message =
        assertThrows(
                ConfigurationException.class,
                () ->
                    FeatureSettings.from(
                        new IrisConfig(Map.of("IRIS_FEATURE_CONTEXT_WAIT_SECONDS", "soon"))))
            .getMessage();
    assertTrue(message.contains("IRIS_FEATURE_CONTEXT_WAIT_SECONDS"), message);
  }

  @Test
  void everyFeatureSettingIsInTheReadme() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    for (Setting setting : FeatureSettings.all()) {
      assertTrue(
          readme.contains("| `" + setting.name() + "` |"), setting.name() + " is not in README.md");
    }
  }
}
