package io.iris.compose;

import io.iris.platform.Setting;
import java.util.List;

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

  private LauncherSettings() {}

  public static List<Setting> all() {
    return List.of(HOME, CONTROLLER_PORT);
  }
}
