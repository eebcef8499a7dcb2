package io.iris.parser;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A bounded least-recently-used cache. AWR reports the same sql_id in snapshot after snapshot, and
 * a sql_id is a hash of its text: caching by sql_id makes the steady state almost free.
 *
 * @param <K> key
 * @param <V> value
 */
public final class TemplateCache<K, V> {
  private final Map<K, V> entries;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();

  public TemplateCache(int capacity) {
    this.entries =
        new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > capacity;
          }
        };
  }

  /** The cached value, or {@code compute}'s, cached. */
  public V get(K key, Function<K, V> compute) {
    synchronized (entries) {
      V value = entries.get(key);
      if (value != null) {
        hits.incrementAndGet();
        return value;
      }
    }
    misses.incrementAndGet();
    V value = compute.apply(key);
    synchronized (entries) {
      entries.put(key, value);
    }
    return value;
  }

  public long hits() {
    return hits.get();
  }

  public long misses() {
    return misses.get();
  }

  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }
}
