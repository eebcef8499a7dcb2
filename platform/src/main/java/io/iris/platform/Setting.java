package io.iris.platform;

import java.util.Optional;

/**
 * One {@code IRIS_*} environment variable: its name, default and meaning. Every setting is declared
 * as a constant like this and listed in the README's configuration table.
 *
 * @param name the environment variable, e.g. {@code IRIS_HTTP_PORT}
 * @param defaultValue the value when unset; empty when the setting is optional
 * @param description what it means, for the README and error messages
 * @param secret whether its value must never be shown (logs, status output)
 */
public record Setting(
    String name, Optional<String> defaultValue, String description, boolean secret) {

  public Setting {
    if (!name.startsWith("IRIS_")) {
      throw new IllegalArgumentException("settings are IRIS_* variables: " + name);
    }
  }

  /** A setting with a default. */
  public static Setting of(String name, String defaultValue, String description) {
    return new Setting(name, Optional.of(defaultValue), description, false);
  }

  /** A setting that may be unset. */
  public static Setting optional(String name, String description) {
    return new Setting(name, Optional.empty(), description, false);
  }

  /** A secret that may be unset; never logged. */
  public static Setting secret(String name, String description) {
    return new Setting(name, Optional.empty(), description, true);
  }
}
