package io.iris.feature;

import io.iris.platform.IrisConfig;
import io.iris.platform.Setting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The feature service's settings.
 *
 * @param partitions partitions of the service's repartition topics: how many instances can share
 *     the join
 * @param contextWait how long a snapshot may go without any of its inputs arriving before its
 *     features are emitted with what arrived
 * @param onlineTtl how long a template's online features live after their last write (zero: for
 *     ever)
 * @param offlineDir root of the Parquet offline store
 * @param offlineFileRows rows after which the Parquet sink closes its files
 * @param offlineFileAge age after which the Parquet sink closes its files
 */
public record FeatureSettings(
    int partitions,
    Duration contextWait,
    Duration onlineTtl,
    Path offlineDir,
    int offlineFileRows,
    Duration offlineFileAge) {
  public static final Setting PARTITIONS =
      Setting.of(
          "IRIS_FEATURE_PARTITIONS",
          "6",
          "Partitions of the feature service's repartition topics (instances beyond this stay idle).");
  public static final Setting CONTEXT_WAIT_SECONDS =
      Setting.of(
          "IRIS_FEATURE_CONTEXT_WAIT_SECONDS",
          "30",
          "How long a snapshot may go without any of its inputs arriving before its features are emitted with what arrived (e.g. without system metrics), seconds.");
  public static final Setting ONLINE_TTL_HOURS =
      Setting.of(
          "IRIS_FEATURE_ONLINE_TTL_HOURS",
          "168",
          "Time to live of a template's online features after their last write, hours (0: no expiry).");
  public static final Setting OFFLINE_DIR =
      Setting.of(
          "IRIS_FEATURE_OFFLINE_DIR",
          ".iris/offline",
          "Root directory of the Parquet offline store (features/v1/dbid=…/date=…/).");
  public static final Setting OFFLINE_FILE_ROWS =
      Setting.of(
          "IRIS_FEATURE_OFFLINE_FILE_ROWS",
          "100000",
          "Rows after which the Parquet sink closes its files and commits.");
  public static final Setting OFFLINE_FILE_SECONDS =
      Setting.of(
          "IRIS_FEATURE_OFFLINE_FILE_SECONDS",
          "60",
          "Seconds after which the Parquet sink closes its files and commits, however few rows.");

  public static List<Setting> all() {
    return List.of(
        PARTITIONS,
        CONTEXT_WAIT_SECONDS,
        ONLINE_TTL_HOURS,
        OFFLINE_DIR,
        OFFLINE_FILE_ROWS,
        OFFLINE_FILE_SECONDS);
  }

  public static FeatureSettings from(IrisConfig config) {
    return new FeatureSettings(
        config.integer(PARTITIONS, 1, 10_000),
        Duration.ofSeconds(config.integer(CONTEXT_WAIT_SECONDS, 1, 86_400)),
        Duration.ofHours(config.integer(ONLINE_TTL_HOURS, 0, 24 * 3660)),
        Path.of(config.get(OFFLINE_DIR)),
        config.integer(OFFLINE_FILE_ROWS, 1, 10_000_000),
        Duration.ofSeconds(config.integer(OFFLINE_FILE_SECONDS, 1, 86_400)));
  }
}
