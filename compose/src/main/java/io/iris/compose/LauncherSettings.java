package io.iris.compose;

import io.iris.platform.IrisConfig;
import io.iris.platform.Setting;
import io.iris.schemas.Topic;
import io.iris.schemas.Topics;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Settings of the {@code ./iris} launcher itself. */
public final class LauncherSettings {
  public static final Setting HOME =
      Setting.of(
          "IRIS_HOME",
          ".iris",
          "Where ./iris up keeps the local runtime: data, pid files and logs (logs/ holds one"
              + " file per component).");
  public static final Setting CONTROLLER_PORT =
      Setting.of(
          "IRIS_LOCAL_CONTROLLER_PORT",
          "9093",
          "Port of the local broker's KRaft controller listener (127.0.0.1).");

  /** Documents {@code IRIS_TOPIC_<TOPIC>_PARTITIONS}; read per topic by {@link #partitions}. */
  public static final Setting TOPIC_PARTITIONS =
      Setting.optional(
          "IRIS_TOPIC_<TOPIC>_PARTITIONS",
          "Partitions of a topic when ./iris up creates it, e.g. IRIS_TOPIC_SQL_TEMPLATES_PARTITIONS=12"
              + " (<TOPIC>: the name upper-cased, dots as underscores).");

  private LauncherSettings() {}

  /** The partition counts set for topics ({@code IRIS_TOPIC_AWR_SNAPSHOTS_PARTITIONS=12}, ...). */
  public static Map<String, Integer> partitions(IrisConfig config) {
    Map<String, Integer> partitions = new HashMap<>();
    for (Topic<?> topic : Topics.all()) {
      String name =
          "IRIS_TOPIC_" + topic.name().toUpperCase(Locale.ROOT).replace('.', '_') + "_PARTITIONS";
      Setting setting = Setting.optional(name, "partitions of " + topic.name());
      if (config.optional(setting).isPresent()) {
        partitions.put(topic.name(), config.integer(setting, 1, 10_000));
      }
    }
    return partitions;
  }

  public static List<Setting> all() {
    return List.of(HOME, CONTROLLER_PORT, TOPIC_PARTITIONS);
  }
}
