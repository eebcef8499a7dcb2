package io.iris.platform;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every IRIS service has once it runs: its configuration, Kafka settings, metrics, the HTTP
 * endpoint and an orderly shutdown. A service's main creates one, builds its pipeline, registers
 * what it opened and calls {@link #awaitShutdown()}.
 */
public final class ServiceRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceRuntime.class);

  private final String service;
  private final IrisConfig config;
  private final KafkaSettings kafka;
  private final ServiceMetrics metrics;
  private final Health health = new Health();
  private final HttpEndpoint http;
  private final Shutdown shutdown = new Shutdown();

  private ServiceRuntime(String service, IrisConfig config) {
    this.service = service;
    this.config = config;
    this.kafka = new KafkaSettings(config, service);
    this.metrics =
        new ServiceMetrics(
            service, Duration.ofSeconds(config.integer(Settings.METRICS_REFRESH_SECONDS, 1, 3600)));
    shutdown.register("metrics", metrics);
    try {
      this.http =
          HttpEndpoint.start(
              config.get(Settings.HTTP_HOST), config.port(Settings.HTTP_PORT), metrics, health);
    } catch (RuntimeException e) {
      shutdown.close();
      throw e;
    }
    shutdown.register("http", http);
  }

  /**
   * Starts the shared parts of {@code service}; its HTTP port is {@code IRIS_HTTP_PORT}, else
   * {@code defaultHttpPort}. Fails fast with a {@link ConfigurationException} on bad settings,
   * Kafka and schema registry logins included ({@link KafkaLogin}, {@link RegistryLogin}).
   */
  public static ServiceRuntime start(String service, int defaultHttpPort, IrisConfig config) {
    IrisConfig effective =
        config.optional(Settings.HTTP_PORT).isPresent()
            ? config
            : config.with(Settings.HTTP_PORT.name(), Integer.toString(defaultHttpPort));
    KafkaSettings kafka = new KafkaSettings(effective, service);
    KafkaLogin.check(kafka.admin(), KafkaLogin.TIMEOUT);
    RegistryLogin.check(kafka.serde());
    ServiceRuntime runtime = new ServiceRuntime(service, effective);
    LOG.info(
        "{} started: http port {}, settings {}",
        service,
        runtime.http.port(),
        effective.describe(Settings.all()));
    return runtime;
  }

  public String service() {
    return service;
  }

  public IrisConfig config() {
    return config;
  }

  public KafkaSettings kafka() {
    return kafka;
  }

  public ServiceMetrics metrics() {
    return metrics;
  }

  public Health health() {
    return health;
  }

  public HttpEndpoint http() {
    return http;
  }

  /** Closes {@code resource} at shutdown, before what was registered earlier. */
  public <T extends AutoCloseable> T closeOnShutdown(String name, T resource) {
    return shutdown.register(name, resource);
  }

  /** Blocks until SIGTERM/SIGINT (or {@link #close()}) has closed everything. */
  public void awaitShutdown() throws InterruptedException {
    shutdown.await();
  }

  @Override
  public void close() {
    shutdown.close();
  }
}
