package io.iris.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One broker, one registry and one Redis for the tests of one JVM, on free loopback ports, in a
 * temporary directory that is deleted on close. Started in parallel: start-up is the slowest of the
 * three, not their sum.
 */
public final class LocalInfra implements AutoCloseable {
  private final Path home;
  private final KafkaBroker kafka;
  private final SchemaRegistryServer registry;
  private final RedisServer redis;

  private LocalInfra(
      Path home, KafkaBroker kafka, SchemaRegistryServer registry, RedisServer redis) {
    this.home = home;
    this.kafka = kafka;
    this.registry = registry;
    this.redis = redis;
  }

  /**
   * Starts everything as children of this JVM. Redis is the one at {@code IRIS_REDIS_URL} when that
   * is set, else a private one.
   */
  public static LocalInfra start(Optional<String> redisUrl) throws IOException {
    Path home = Files.createTempDirectory("iris-infra-");
    CompletableFuture<KafkaBroker> kafka =
        CompletableFuture.supplyAsync(
            unchecked(
                () ->
                    KafkaBroker.start(
                        home.resolve("kafka"),
                        home.resolve("logs"),
                        Readiness.freePort(),
                        Readiness.freePort(),
                        ProcessMode.CHILD)));
    CompletableFuture<SchemaRegistryServer> registry =
        CompletableFuture.supplyAsync(
            unchecked(
                () ->
                    SchemaRegistryServer.start(
                        home.resolve("registry"),
                        home.resolve("logs"),
                        Readiness.freePort(),
                        Optional.empty(),
                        ProcessMode.CHILD)));
    CompletableFuture<RedisServer> redis =
        CompletableFuture.supplyAsync(
            unchecked(
                () ->
                    redisUrl.isPresent()
                        ? RedisServer.external(RedisUrl.parse(redisUrl.get()))
                        : RedisServer.start(
                            home.resolve("redis"),
                            home.resolve("logs"),
                            Readiness.freePort(),
                            ProcessMode.CHILD)));
    try {
      CompletableFuture.allOf(kafka, registry, redis).join();
      return new LocalInfra(home, kafka.join(), registry.join(), redis.join());
    } catch (CompletionException e) {
      // All three are done by now: stop the ones that did start.
      stopIfStarted(kafka, KafkaBroker::stop);
      stopIfStarted(registry, SchemaRegistryServer::stop);
      stopIfStarted(redis, RedisServer::stop);
      throw e.getCause() instanceof RuntimeException re ? re : e;
    }
  }

  private static <T> void stopIfStarted(CompletableFuture<T> start, Consumer<T> stop) {
    if (!start.isCompletedExceptionally()) {
      stop.accept(start.join());
    }
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  /** The Confluent-compatible registry URL. */
  public String schemaRegistryUrl() {
    return registry.url();
  }

  public RedisUrl redisUrl() {
    return redis.url();
  }

  public KafkaBroker kafka() {
    return kafka;
  }

  public SchemaRegistryServer registry() {
    return registry;
  }

  public RedisServer redis() {
    return redis;
  }

  @Override
  public void close() {
    kafka.stop();
    registry.stop();
    redis.stop();
    try (Stream<Path> files = Files.walk(home)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FunctionalInterface
  private interface IoSupplier<T> {
    T get() throws IOException;
  }

  private static <T> java.util.function.Supplier<T> unchecked(IoSupplier<T> supplier) {
    return () -> {
      try {
        return supplier.get();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }
}
