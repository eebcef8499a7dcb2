package io.iris.feature;

import io.iris.platform.DeadLetters;
import io.iris.schemas.Topics;
import io.iris.schemas.avro.DeadLetter;
import io.iris.schemas.avro.FeatureVector;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the features topic into a store (Redis or Parquet) at least once, made exactly once by the
 * store: it buffers records per partition, hands each partition's batch to the store and commits
 * the offsets only after the store has them. When the store fails, the sink stops committing and
 * either retries with exponential backoff while its partitions are paused (Redis down) or stops for
 * good with the reason on its health check (an unwritable offline directory). A record that cannot
 * be read goes to features.dlq.
 */
final class FeatureSink implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FeatureSink.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  /** Where the sink writes. */
  interface Store {
    /**
     * Before a partition is read from {@code position}: forget anything written beyond it (a batch
     * written but not committed before a crash).
     */
    default void assigned(int partition, long position) throws Exception {}

    /** Writes one partition's batch (offsets first..last); throws when it could not. */
    void write(int partition, long firstOffset, long lastOffset, List<FeatureVector> vectors)
        throws Exception;
  }

  /** When the buffered records are written. */
  record Batching(int maxRecords, Duration maxAge) {}

  private final String name;
  private final Store store;
  private final Batching batching;
  private final boolean retryFailures;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Deserializer<FeatureVector> values;
  private final Producer<String, DeadLetter> deadLetters;
  private final FeatureMetrics metrics;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Map<Integer, Batch> buffer = new TreeMap<>();

  /** Partitions read from since the last commit. */
  private final Set<TopicPartition> toCommit = new HashSet<>();

  private volatile String problem;
  private volatile boolean running = true;
  private Instant oldestBuffered;
  private Duration backoff = Duration.ZERO;
  private Instant retryAt;

  /** One partition's buffered records. */
  private static final class Batch {
    long first = -1;
    long last = -1;
    final List<FeatureVector> vectors = new ArrayList<>();
  }

  /**
   * @param name the store's name in metrics, logs and health ({@code redis}, {@code parquet})
   * @param retryFailures retry a failed write with backoff (else stop the sink)
   */
  FeatureSink(
      String name,
      Store store,
      Batching batching,
      boolean retryFailures,
      KafkaConsumer<String, byte[]> consumer,
      Deserializer<FeatureVector> values,
      Producer<String, DeadLetter> deadLetters,
      FeatureMetrics metrics) {
    this.name = name;
    this.store = store;
    this.batching = batching;
    this.retryFailures = retryFailures;
    this.consumer = consumer;
    this.values = values;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
  }

  String name() {
    return name;
  }

  /** Null while the sink is healthy, else what is wrong. */
  String problem() {
    return problem;
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(Topics.FEATURES.name()), new Rebalance());
      while (running) {
        // A partition whose record could not be decoded for now is read again from that record.
        Set<TopicPartition> rewound = new HashSet<>();
        for (ConsumerRecord<String, byte[]> r : consumer.poll(pollTimeout())) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          if (!rewound.contains(tp) && !accept(tp, r)) {
            consumer.seek(tp, r.offset());
            rewound.add(tp);
          }
        }
        if (retryAt != null ? !Instant.now().isBefore(retryAt) : due()) {
          flush();
        }
      }
    } catch (WakeupException e) {
      // close() woke the consumer up.
    } catch (RuntimeException e) {
      // A store failure may come wrapped by the consumer (from the rebalance listener).
      Throwable cause = e;
      while (cause != null && !(cause instanceof SinkStopped)) {
        cause = cause.getCause();
      }
      problem = name + " sink stopped: " + (cause != null ? cause.getMessage() : e.toString());
      LOG.error("{}; fix it and restart the service", problem, e);
    } finally {
      consumer.close();
      stopped.countDown();
    }
  }

  private Duration pollTimeout() {
    return batching.maxAge().compareTo(Duration.ofMillis(200)) < 0
        ? batching.maxAge()
        : Duration.ofMillis(200);
  }

  /** Buffers {@code r}; false when it must be read again, the registry being unavailable. */
  private boolean accept(TopicPartition tp, ConsumerRecord<String, byte[]> r) {
    toCommit.add(tp);
    if (r.value() == null) {
      return true;
    }
    FeatureVector v;
    try {
      v = values.deserialize(r.topic(), r.value());
    } catch (RuntimeException e) {
      if (DeadLetters.registryUnavailable(e)) {
        problem = name + " sink waits for the schema registry: " + e.getMessage();
        LOG.warn("{}; reading {} again from offset {}", problem, tp, r.offset());
        return false;
      }
      deadLetter(r, e);
      return true;
    }
    Batch batch = buffer.computeIfAbsent(r.partition(), p -> new Batch());
    if (batch.first < 0) {
      batch.first = r.offset();
    }
    batch.last = r.offset();
    batch.vectors.add(v);
    if (oldestBuffered == null) {
      oldestBuffered = Instant.now();
    }
    return true;
  }

  private boolean due() {
    if (toCommit.isEmpty()) {
      return false;
    }
    int buffered = buffer.values().stream().mapToInt(b -> b.vectors.size()).sum();
    return buffered >= batching.maxRecords()
        || oldestBuffered == null
        || !Instant.now().isBefore(oldestBuffered.plus(batching.maxAge()));
  }

  /** Writes every buffered batch, then commits; on failure keeps them for a retry. */
  private void flush() {
    try {
      for (var it = buffer.entrySet().iterator(); it.hasNext(); ) {
        var e = it.next();
        Batch b = e.getValue();
        store.write(e.getKey(), b.first, b.last, b.vectors);
        metrics.sinkRows(name, b.vectors.size());
        // Written batches are not written again if a later one fails.
        it.remove();
      }
    } catch (Exception e) {
      metrics.sinkFailure(name);
      if (!retryFailures) {
        throw new SinkStopped(e);
      }
      backoff =
          backoff.isZero()
              ? Duration.ofMillis(100)
              : backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                  ? MAX_BACKOFF
                  : backoff.multipliedBy(2);
      retryAt = Instant.now().plus(backoff);
      problem = name + " unavailable, retrying in " + backoff.toMillis() + " ms: " + e.getMessage();
      LOG.warn(
          "{} write failed; offsets not committed, retrying in {} ms: {}",
          name,
          backoff.toMillis(),
          e.toString());
      consumer.pause(consumer.assignment());
      return;
    }
    // The position, not the last record + 1: under exactly-once a transaction marker follows the
    // last record, and a commit before it would show a lag of 1 for ever.
    Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
    for (TopicPartition tp : toCommit) {
      positions.put(tp, new OffsetAndMetadata(consumer.position(tp)));
    }
    consumer.commitSync(positions);
    toCommit.clear();
    oldestBuffered = null;
    if (retryAt != null) {
      LOG.info("{} is back; the sink goes on", name);
      consumer.resume(consumer.assignment());
      retryAt = null;
      backoff = Duration.ZERO;
    }
    problem = null;
  }

  private void deadLetter(ConsumerRecord<String, byte[]> r, Exception error) {
    DeadLetter letter =
        DeadLetter.newBuilder()
            .setSourceTopic(r.topic())
            .setPartition(r.partition())
            .setOffset(r.offset())
            .setService("feature")
            .setFailedAt(Instant.now())
            .setErrorClass(error.getClass().getName())
            .setErrorMessage(String.valueOf(error.getMessage()))
            .setKey(
                r.key() == null ? null : ByteBuffer.wrap(r.key().getBytes(StandardCharsets.UTF_8)))
            .setValue(ByteBuffer.wrap(r.value()))
            .build();
    try {
      // Before the offset is committed: a dead letter is never lost either.
      deadLetters
          .send(new ProducerRecord<>(Topics.deadLetter(Topics.FEATURES).name(), r.key(), letter))
          .get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot write to features.dlq: " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WakeupException();
    }
    metrics.deadLetter();
  }

  /** Batches of revoked partitions are dropped: their next owner reads from the commit. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      for (TopicPartition tp : partitions) {
        buffer.remove(tp.partition());
        toCommit.remove(tp);
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      for (TopicPartition tp : partitions) {
        try {
          store.assigned(tp.partition(), consumer.position(tp));
        } catch (Exception e) {
          throw new SinkStopped(e);
        }
      }
      if (retryAt != null) {
        consumer.pause(partitions);
      }
    }
  }

  /** A failure the sink does not retry. */
  private static final class SinkStopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SinkStopped(Exception cause) {
      super(cause.getMessage(), cause);
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    stopped.await();
  }
}
