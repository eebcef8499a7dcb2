package io.iris.compose;

import io.iris.infra.KafkaBroker;
import io.iris.infra.KafkaSecurity;
import io.iris.infra.ProcessMode;
import io.iris.infra.Readiness;
import io.iris.infra.RedisServer;
import io.iris.infra.RedisUrl;
import io.iris.infra.SchemaRegistryServer;
import io.iris.platform.IrisConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A broker, a registry and a Redis of one test's own, on fixed ports, that the test can stop and
 * start again as an operator restarts them: the broker keeps its log directory, Redis its
 * append-only file. The registry may be started after the services, to see them wait for it. The
 * broker may require a login ({@link KafkaSecurity}) and Redis a password; the endpoints then carry
 * the login of one broker user.
 */
final class RestartableInfra implements AutoCloseable {
  /** Client settings for failing over fast after a kill (the broker's minimum session time). */
  static final Map<String, String> FAST_FAILOVER = Map.of("IRIS_KAFKA_SESSION_TIMEOUT_MS", "6000");

  private final Path home;
  private final Optional<KafkaSecurity> kafkaSecurity;
  private final String kafkaUser;
  private final Optional<String> redisPassword;
  private final int kafkaPort = Readiness.freePort();
  private final int controllerPort = Readiness.freePort();
  private final int registryPort = Readiness.freePort();
  private final int redisPort = Readiness.freePort();
  private KafkaBroker kafka;
  private SchemaRegistryServer registry;
  private RedisServer redis;

  RestartableInfra(Path home) {
    this(home, Optional.empty(), "", Optional.empty());
  }

  /**
   * A broker that accepts only the users of {@code kafkaSecurity}, services that log in as {@code
   * kafkaUser}, and a Redis that wants {@code redisPassword}.
   */
  RestartableInfra(Path home, KafkaSecurity kafkaSecurity, String kafkaUser, String redisPassword) {
    this(home, Optional.of(kafkaSecurity), kafkaUser, Optional.of(redisPassword));
  }

  private RestartableInfra(
      Path home,
      Optional<KafkaSecurity> kafkaSecurity,
      String kafkaUser,
      Optional<String> redisPassword) {
    this.home = home;
    this.kafkaSecurity = kafkaSecurity;
    this.kafkaUser = kafkaUser;
    this.redisPassword = redisPassword;
  }

  /** Starts the broker and Redis, and the registry unless {@code withRegistry} is false. */
  RestartableInfra start(boolean withRegistry) throws IOException {
    startKafka();
    startRedis();
    if (withRegistry) {
      startRegistry();
    }
    return this;
  }

  LivePipeline.Endpoints endpoints() {
    Map<String, String> env = new HashMap<>(FAST_FAILOVER);
    kafkaSecurity.ifPresent(
        security ->
            security
                .client(kafkaUser)
                .forEach(
                    (property, value) ->
                        env.put(IrisConfig.kafkaVariable(property), value.toString())));
    RedisUrl redis = RedisUrl.local(redisPort);
    return new LivePipeline.Endpoints(
        "127.0.0.1:" + kafkaPort,
        "http://127.0.0.1:" + registryPort + SchemaRegistryServer.CCOMPAT_PATH,
        redisPassword.map(redis::withPassword).orElse(redis).toUriWithCredentials(),
        env);
  }

  void startKafka() throws IOException {
    kafka =
        KafkaBroker.start(
            home.resolve("kafka"),
            home.resolve("logs"),
            kafkaPort,
            controllerPort,
            ProcessMode.CHILD,
            kafkaSecurity);
  }

  void stopKafka() {
    kafka.stop();
  }

  void startRegistry() throws IOException {
    registry =
        SchemaRegistryServer.start(
            home.resolve("registry"),
            home.resolve("logs"),
            registryPort,
            Optional.empty(),
            ProcessMode.CHILD);
  }

  void startRedis() throws IOException {
    redis =
        RedisServer.start(
            home.resolve("redis"),
            home.resolve("logs"),
            redisPort,
            ProcessMode.CHILD,
            true,
            redisPassword);
  }

  void stopRedis() {
    redis.stop();
  }

  /** The process id of the broker, the registry and Redis (under its guard), by those names. */
  Map<String, Long> pids() {
    Map<String, Long> pids = new LinkedHashMap<>();
    pids.put("broker", kafka.process().pid());
    pids.put("registry", registry.process().pid());
    redis.process().ifPresent(p -> pids.put("redis", p.pid()));
    return pids;
  }

  @Override
  public void close() {
    if (kafka != null) {
      kafka.stop();
    }
    if (registry != null) {
      registry.stop();
    }
    if (redis != null) {
      redis.stop();
    }
  }
}
