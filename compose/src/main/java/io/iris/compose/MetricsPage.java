package io.iris.compose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A page in the Prometheus text format, as a service's {@code GET /metrics} answers it, read into
 * samples: enough for the launcher to follow the collector's progress without a Prometheus.
 */
final class MetricsPage {
  /** One line of the page: a series and its value. */
  record Sample(String name, Map<String, String> labels, double value) {}

  private final List<Sample> samples;

  private MetricsPage(List<Sample> samples) {
    this.samples = samples;
  }

  /**
   * Reads a page; comments ({@code # HELP}, {@code # TYPE}) and blank lines are skipped.
   *
   * @throws IllegalArgumentException naming the line that is not a sample
   */
  static MetricsPage parse(String text) {
    List<Sample> samples = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        samples.add(sample(line));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "line " + (i + 1) + " is not a Prometheus sample (" + e.getMessage() + "): " + line, e);
      }
    }
    return new MetricsPage(List.copyOf(samples));
  }

  List<Sample> samples(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).toList();
  }

  /**
   * The values of {@code name} by the value of its label {@code label}, summed over the series that
   * share one (e.g. errors of every kind per source), in label order.
   */
  Map<String, Double> byLabel(String name, String label) {
    Map<String, Double> values = new TreeMap<>();
    for (Sample s : samples(name)) {
      String key = s.labels().get(label);
      if (key != null) {
        values.merge(key, s.value(), Double::sum);
      }
    }
    return values;
  }

  private static Sample sample(String line) {
    int nameEnd = 0;
    while (nameEnd < line.length() && isNameChar(line.charAt(nameEnd), nameEnd == 0)) {
      nameEnd++;
    }
    if (nameEnd == 0) {
      throw new IllegalArgumentException("no metric name");
    }
    String name = line.substring(0, nameEnd);
    Map<String, String> labels = new LinkedHashMap<>();
    int at = nameEnd;
    if (at < line.length() && line.charAt(at) == '{') {
      at = labels(line, at + 1, labels);
    }
    String[] rest = line.substring(at).strip().split("\\s+");
    if (rest.length < 1 || rest.length > 2 || rest[0].isEmpty()) {
      throw new IllegalArgumentException("expected a value and an optional timestamp");
    }
    return new Sample(name, Map.copyOf(labels), value(rest[0]));
  }

  /** Reads {@code a="x",b="y"} up to its closing brace; returns the index after it. */
  private static int labels(String line, int at, Map<String, String> labels) {
    while (true) {
      while (at < line.length() && (line.charAt(at) == ' ' || line.charAt(at) == ',')) {
        at++;
      }
      if (at >= line.length()) {
        throw new IllegalArgumentException("unclosed label set");
      }
      if (line.charAt(at) == '}') {
        return at + 1;
      }
      int eq = line.indexOf('=', at);
      if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
        throw new IllegalArgumentException("a label without a quoted value");
      }
      String label = line.substring(at, eq).strip();
      StringBuilder value = new StringBuilder();
      int i = eq + 2;
      while (true) {
        if (i >= line.length()) {
          throw new IllegalArgumentException("unclosed label value");
        }
        char c = line.charAt(i);
        if (c == '"') {
          break;
        }
        if (c == '\\' && i + 1 < line.length()) {
          char escaped = line.charAt(++i);
          value.append(escaped == 'n' ? '\n' : escaped);
        } else {
          value.append(c);
        }
        i++;
      }
      labels.put(label, value.toString());
      at = i + 1;
    }
  }

  private static double value(String text) {
    return switch (text) {
      case "NaN" -> Double.NaN;
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }

  private static boolean isNameChar(char c, boolean first) {
    return c == '_'
        || c == ':'
        || (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (!first && c >= '0' && c <= '9');
  }
}
