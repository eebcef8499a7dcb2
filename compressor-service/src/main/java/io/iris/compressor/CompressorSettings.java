package io.iris.compressor;

import io.iris.platform.ConfigurationException;
import io.iris.platform.IrisConfig;
import io.iris.platform.Setting;
import io.iris.schemas.avro.CostMetric;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The compressor service's settings.
 *
 * @param k representatives per result (when no target coverage is set)
 * @param targetCoverage when above 0, the smallest k reaching this cost coverage is used
 * @param metric the cost the compression weighs
 * @param horizon how far back (before the newest snapshot) the workload reaches
 * @param snapshotTimeout how long to wait for a snapshot's last observations before compressing
 */
public record CompressorSettings(
    int k, double targetCoverage, CostMetric metric, Duration horizon, Duration snapshotTimeout) {
  public static final Setting K =
      Setting.of("IRIS_COMPRESSOR_K", "100", "Representatives per compressed workload.");
  public static final Setting TARGET_COVERAGE =
      Setting.optional(
          "IRIS_COMPRESSOR_TARGET_COVERAGE",
          "When set (0-1), the fewest representatives whose cost reaches this share; overrides IRIS_COMPRESSOR_K.");
  public static final Setting COST_METRIC =
      Setting.of(
          "IRIS_COMPRESSOR_COST_METRIC",
          "ELAPSED",
          "The cost compression weighs: ELAPSED, CPU or BUFFER_GETS.");
  public static final Setting HORIZON_HOURS =
      Setting.of(
          "IRIS_COMPRESSOR_HORIZON_HOURS",
          "24",
          "How far back before the newest snapshot the compressed workload reaches, hours.");
  public static final Setting SNAPSHOT_TIMEOUT_SECONDS =
      Setting.of(
          "IRIS_COMPRESSOR_SNAPSHOT_TIMEOUT_SECONDS",
          "60",
          "How long to wait for the rest of a snapshot's observations before compressing with what arrived, seconds.");

  public static List<Setting> all() {
    return List.of(K, TARGET_COVERAGE, COST_METRIC, HORIZON_HOURS, SNAPSHOT_TIMEOUT_SECONDS);
  }

  public static CompressorSettings from(IrisConfig config) {
    double target = 0;
    if (config.optional(TARGET_COVERAGE).isPresent()) {
      try {
        target = Double.parseDouble(config.get(TARGET_COVERAGE));
      } catch (NumberFormatException e) {
        target = -1;
      }
      if (!(target > 0 && target <= 1)) {
        throw new ConfigurationException(
            "IRIS_COMPRESSOR_TARGET_COVERAGE="
                + config.get(TARGET_COVERAGE)
                + ": use a share above 0 and at most 1");
      }
    }
    CostMetric metric;
    try {
      metric = CostMetric.valueOf(config.get(COST_METRIC).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(
          "IRIS_COMPRESSOR_COST_METRIC="
              + config.get(COST_METRIC)
              + ": use ELAPSED, CPU or BUFFER_GETS");
    }
    return new CompressorSettings(
        config.integer(K, 1, 100_000),
        target,
        metric,
        Duration.ofHours(config.integer(HORIZON_HOURS, 1, 24 * 366)),
        Duration.ofSeconds(config.integer(SNAPSHOT_TIMEOUT_SECONDS, 1, 86_400)));
  }
}
