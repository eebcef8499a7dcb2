package io.iris.platform;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * A service's Prometheus registry: JVM metrics, Kafka client metrics (per-partition lag included)
 * re-read every {@code refresh}, and the service's own meters, all tagged {@code service}. Name own
 * meters {@code iris.<service>.<thing>} with a base unit; Prometheus shows them as {@code
 * iris_<service>_<thing>_<unit>}.
 */
public final class ServiceMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry;
  private final Duration refresh;
  private final ScheduledExecutorService scheduler;
  private final List<AutoCloseable> kafkaBinders = new ArrayList<>();
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public ServiceMetrics(String service, Duration refresh) {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.refresh = refresh;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "iris-kafka-metrics");
              thread.setDaemon(true);
              return thread;
            });
    registry.config().commonTags("service", service);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    scheduler.scheduleWithFixedDelay(
        this::bindConsumerProgress, 0, refresh.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Gauges for every group and partition a consumer of this JVM has started reading. */
  private void bindConsumerProgress() {
    ConsumerProgress.all()
        .forEach(
            (position, progress) -> {
              Tags tags =
                  Tags.of(
                      "group", position.group(),
                      "topic", position.topic(),
                      "partition", Integer.toString(position.partition()));
              Gauge.builder(
                      "iris.consumer.record.age",
                      progress,
                      p -> p.recordAgeSeconds(System.currentTimeMillis()))
                  .tags(tags)
                  .baseUnit("seconds")
                  .description("Age of the newest record the group has read from the partition")
                  .register(registry);
              Gauge.builder(
                      "iris.consumer.idle",
                      progress,
                      p -> p.idleSeconds(System.currentTimeMillis()))
                  .tags(tags)
                  .baseUnit("seconds")
                  .description("Seconds since the group last read a record of the partition")
                  .register(registry);
            });
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  // Distinct names, not overloads: a service without Kafka Streams on its classpath must be
  // able to call the others.

  /** Publishes a producer's metrics. */
  public void bindProducer(Producer<?, ?> producer) {
    add(new KafkaClientMetrics(producer, Tags.empty(), scheduler, refresh));
  }

  /** Publishes a consumer's metrics, including {@code records-lag} per partition. */
  public void bindConsumer(Consumer<?, ?> consumer) {
    add(new KafkaClientMetrics(consumer, Tags.empty(), scheduler, refresh));
  }

  public void bindAdmin(AdminClient admin) {
    add(new KafkaClientMetrics(admin, Tags.empty(), scheduler, refresh));
  }

  /** Publishes a Streams application's metrics (its consumers' lag included). */
  public void bindStreams(KafkaStreams streams) {
    add(new KafkaStreamsMetrics(streams, Tags.empty(), scheduler, refresh));
  }

  private <B extends MeterBinder & AutoCloseable> void add(B binder) {
    binder.bindTo(registry);
    kafkaBinders.add(binder);
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    for (AutoCloseable binder : kafkaBinders) {
      try {
        binder.close();
      } catch (Exception e) {
        // Closing a binder only unschedules its refresh; nothing to recover.
      }
    }
    gc.close();
    scheduler.shutdownNow();
    registry.close();
  }
}
