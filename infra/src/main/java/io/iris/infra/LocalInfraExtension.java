package io.iris.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 fixture: a test that declares a {@link LocalInfra} parameter (constructor, lifecycle or
 * test method) gets the one broker, registry and Redis of this test JVM. They start on first use,
 * are shared by every test class, and stop when the JVM's test run ends.
 *
 * <pre>{@code
 * @ExtendWith(LocalInfraExtension.class)
 * class RoundTripTest {
 *   @Test void roundTrip(LocalInfra infra) { ... infra.bootstrapServers() ... }
 * }
 * }</pre>
 */
public final class LocalInfraExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(LocalInfraExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == LocalInfra.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    // The root store lives as long as the test run of this JVM and closes AutoCloseable values.
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .computeIfAbsent(LocalInfra.class, key -> startInfra(), LocalInfra.class);
  }

  private static LocalInfra startInfra() {
    try {
      return LocalInfra.start(Optional.ofNullable(System.getenv("IRIS_REDIS_URL")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
