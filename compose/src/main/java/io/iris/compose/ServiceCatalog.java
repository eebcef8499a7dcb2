package io.iris.compose;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The four IRIS services: where their runnable jars are built and which port each serves. */
final class ServiceCatalog {
  /** One service. */
  record Service(String name, int httpPort) {
    /** The runnable jar {@code ./mvnw package} builds for it. */
    Path jar(Path repo) {
      return repo.resolve(name + "-service")
          .resolve("target")
          .resolve("iris-" + name + "-service.jar");
    }

    boolean isBuilt(Path repo) {
      return Files.isRegularFile(jar(repo));
    }
  }

  static final List<Service> ALL =
      List.of(
          new Service("collector", 8181),
          new Service("parser", 8182),
          new Service("compressor", 8183),
          new Service("feature", 8184));

  private ServiceCatalog() {}
}
