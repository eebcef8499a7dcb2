package io.iris.compose;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.platform.Setting;
import io.iris.platform.Settings;
import io.iris.schemas.Topic;
import io.iris.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README is the one table of settings and topics users read: it must list them all. */
class ReadmeTest {
  private static final Path README = Path.of("..", "README.md");

  @Test
  void everySettingIsInTheConfigurationTable() throws Exception {
    String readme = Files.readString(README);
    List<Setting> settings = new ArrayList<>(Settings.all());
    settings.addAll(LauncherSettings.all());
    for (Setting setting : settings) {
      assertTrue(
          readme.contains("| `" + setting.name() + "` |"), setting.name() + " is not in README.md");
    }
  }

  @Test
  void everyTopicIsInTheTopicTable() throws Exception {
    String readme = Files.readString(README);
    for (Topic<?> topic : Topics.main()) {
      assertTrue(
          readme.contains("| `" + topic.name() + "` | ")
              && readme.contains("| " + topic.defaultPartitions() + " |"),
          topic.name() + " is not in README.md's topic table");
    }
    assertTrue(readme.contains("| `<topic>.dlq` |"));
  }

  @Test
  void theReadmeStartsWithTheTwoCommands() throws Exception {
    String readme = Files.readString(README);
    int up = readme.indexOf("./iris up");
    int test = readme.indexOf("./iris test");
    assertTrue(up > 0 && test > up && readme.indexOf("## Configuration") > test);
    assertTrue(Files.readString(Path.of("..", ".ci", "run")).contains("./iris test"));
  }
}
