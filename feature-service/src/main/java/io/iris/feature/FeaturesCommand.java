package io.iris.feature;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iris.platform.IrisConfig;
import io.iris.platform.Setting;
import io.iris.schemas.avro.FeatureVector;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.avro.Schema;

/**
 * {@code ./iris features export --as-of <instant> [--dir <root>] [--dbid <n>]}: the point-in-time
 * feature vectors of the offline store ({@link OfflineStore#asOf}), one JSON line per template in
 * template id order, with every field of the vector by name (unknown features as null, {@code
 * eventTime} as an ISO-8601 instant).
 */
public final class FeaturesCommand {
  private static final Setting OFFLINE_DIR = FeatureSettings.OFFLINE_DIR;

  private static final ObjectMapper JSON = new ObjectMapper();

  private FeaturesCommand() {}

  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, IrisConfig.fromEnvironment(), out, err);
  }

  static int run(String[] args, IrisConfig config, PrintStream out, PrintStream err) {
    if (args.length == 0 || !args[0].equals("export")) {
      return usage(err, args.length == 0 ? "no subcommand" : "unknown subcommand " + args[0]);
    }
    Map<String, String> options = new HashMap<>();
    for (int i = 1; i < args.length; i += 2) {
      String name = args[i];
      if (!name.equals("--as-of") && !name.equals("--dir") && !name.equals("--dbid")) {
        return usage(err, "unknown option " + name);
      }
      if (i + 1 >= args.length) {
        return usage(err, name + " needs a value");
      }
      options.put(name, args[i + 1]);
    }
    if (!options.containsKey("--as-of")) {
      return usage(err, "--as-of is required");
    }
    Instant asOf;
    try {
      asOf = Instant.parse(options.get("--as-of"));
    } catch (DateTimeParseException e) {
      return usage(
          err,
          "--as-of "
              + options.get("--as-of")
              + " is not an ISO-8601 instant; write it like 2026-11-26T10:00:00Z");
    }
    OptionalLong dbid = OptionalLong.empty();
    if (options.containsKey("--dbid")) {
      try {
        dbid = OptionalLong.of(Long.parseLong(options.get("--dbid")));
      } catch (NumberFormatException e) {
        return usage(err, "--dbid " + options.get("--dbid") + " is not a whole number");
      }
    }
    Path root;
    try {
      root = Path.of(options.getOrDefault("--dir", config.get(OFFLINE_DIR)));
    } catch (InvalidPathException e) {
      return usage(err, "--dir: " + e.getMessage());
    }
    OfflineStore store = new OfflineStore(root);
    if (!Files.isDirectory(store.directory())) {
      err.println(
          "features: no offline store at "
              + store.directory()
              + " (give its root with --dir or "
              + OFFLINE_DIR.name()
              + ")");
      return 1;
    }
    try {
      for (FeatureVector v : store.asOf(asOf, dbid).values()) {
        out.println(json(v));
      }
    } catch (IOException | RuntimeException e) {
      err.println("features: cannot read " + store.directory() + ": " + e);
      return 1;
    }
    out.flush();
    return 0;
  }

  /** One vector as a JSON object: every field in schema order. */
  static String json(FeatureVector v) throws JsonProcessingException {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (Schema.Field field : v.getSchema().getFields()) {
      Object value = v.get(field.pos());
      fields.put(field.name(), value instanceof Instant t ? t.toString() : value);
    }
    return JSON.writeValueAsString(fields);
  }

  private static int usage(PrintStream err, String problem) {
    err.println("features: " + problem);
    err.println(
        "usage: features export --as-of <ISO-8601 instant, e.g. 2026-11-26T10:00:00Z>"
            + " [--dir <store root, default $"
            + OFFLINE_DIR.name()
            + " or "
            + OFFLINE_DIR.defaultValue().orElseThrow()
            + ">] [--dbid <n>]");
    return 2;
  }
}
