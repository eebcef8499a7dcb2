package io.iris.compressor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.platform.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The compressor's settings are in the README's configuration table. */
class ReadmeTest {
  @Test
  void everyCompressorSettingIsDocumented() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    for (Setting setting : CompressorSettings.all()) {
      assertTrue(
          readme.contains("| `" + setting.name() + "` |"), setting.name() + " is not in README.md");
    }
  }
}
