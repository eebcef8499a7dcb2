package io.iris.collector;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.platform.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The collector's settings are in the README's configuration table. */
class ReadmeTest {
  @Test
  void everyCollectorSettingIsDocumented() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    for (Setting setting : CollectorSettings.all()) {
      assertTrue(
          readme.contains("| `" + setting.name() + "` |"), setting.name() + " is not in README.md");
    }
    for (String perSource :
        new String[] {"_URL", "_USER", "_PASSWORD", "_VIEW_PREFIX", "_TIMEZONE"}) {
      assertTrue(readme.contains("IRIS_COLLECTOR_SOURCE_<NAME>" + perSource), perSource);
    }
  }
}
