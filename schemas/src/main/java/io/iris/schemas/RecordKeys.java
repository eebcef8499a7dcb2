package io.iris.schemas;

/** The keys of IRIS topics, built in one place so producers and joins agree. */
public final class RecordKeys {
  private RecordKeys() {}

  /** {@code awr.snapshots}: one stream per database instance, ordered by snapshot. */
  public static String snapshot(long dbid, int instance) {
    return dbid + ":" + instance;
  }

  /** {@code awr.plans}: one record per plan, ever. */
  public static String plan(long dbid, String sqlId, long planHashValue) {
    return dbid + ":" + sqlId + ":" + planHashValue;
  }

  /** {@code iris.collector.checkpoints}: one position per source database instance. */
  public static String checkpoint(String source, long dbid, int instance) {
    return source + ":" + dbid + ":" + instance;
  }
}
