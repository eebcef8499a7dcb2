package io.iris.compressor;

import io.iris.schemas.avro.ColumnUsage;

/**
 * How much an index on a column can do for a statement, by how the statement uses it: an equality
 * filter is the most selective and useful, an IS NULL test the least.
 */
public final class ColumnWeights {
  private ColumnWeights() {}

  public static double of(ColumnUsage usage) {
    return switch (usage) {
      case FILTER_EQ -> 1.0;
      case FILTER_IN -> 0.9;
      case JOIN -> 0.8;
      case FILTER_RANGE -> 0.7;
      case FILTER_LIKE -> 0.5;
      case GROUP_BY, ORDER_BY -> 0.4;
      case FILTER_NULL -> 0.3;
    };
  }
}
