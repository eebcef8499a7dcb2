package io.iris.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 fixture: a test that declares a {@link PostgresServer} parameter gets the one private
 * PostgreSQL cluster (logical decoding on) of this test JVM, started on first use in a temporary
 * directory and stopped, and deleted, when the JVM's test run ends. Tests share it: each keeps to a
 * schema, replication slot and publication of its own.
 */
public final class PostgresExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(PostgresExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == PostgresServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .computeIfAbsent(Cluster.class, key -> Cluster.start(), Cluster.class)
        .server();
  }

  /** The cluster and its directory, removed together. */
  private record Cluster(Path home, PostgresServer server) implements AutoCloseable {
    static Cluster start() {
      try {
        Path home = Files.createTempDirectory("iris-postgres-");
        return new Cluster(
            home, PostgresServer.start(home, home.resolve("logs"), Readiness.freePort()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() throws IOException {
      server.stop();
      try (Stream<Path> files = Files.walk(home)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
