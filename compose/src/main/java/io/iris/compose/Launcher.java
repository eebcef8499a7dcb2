package io.iris.compose;

import io.iris.infra.InfraException;
import io.iris.platform.ConfigurationException;
import io.iris.platform.IrisConfig;
import io.iris.platform.KafkaSettings;
import io.iris.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The launcher behind {@code ./iris}: {@code up} starts the whole system on this machine, {@code
 * status} shows it, {@code down} stops it. Run from the repository root. {@code setup} only creates
 * the topics and registers the schemas on the configured broker and registry, starting nothing:
 * what the one-shot {@code setup} container of {@code compose/docker-compose.yml} runs.
 */
public final class Launcher {
  private static final String USAGE = "usage: iris (up|status|down|setup)";

  private Launcher() {}

  public static void main(String[] args) {
    // Humans read the launcher's output; services log JSON.
    if (System.getenv("IRIS_LOG_FORMAT") == null) {
      System.setProperty("IRIS_LOG_FORMAT", "text");
    }
    System.exit(
        run(
            args,
            Path.of("").toAbsolutePath(),
            IrisConfig.fromEnvironment(),
            System.out,
            System.err));
  }

  /** Runs one command; returns the process exit code. */
  static int run(String[] args, Path repo, IrisConfig config, PrintStream out, PrintStream err) {
    if (args.length != 1) {
      err.println(USAGE);
      return 2;
    }
    try {
      LocalRuntime runtime = new LocalRuntime(repo, config, out);
      switch (args[0]) {
        case "up" -> runtime.up();
        case "down" -> runtime.down();
        case "setup" -> runtime.setup();
        case "status" -> {
          return new StatusReport(runtime, new KafkaSettings(config, "launcher"), out).print()
              ? 0
              : 1;
        }
        default -> {
          err.println("iris: unknown command '" + args[0] + "'; " + USAGE);
          return 2;
        }
      }
      return 0;
    } catch (InfraException | ConfigurationException | SchemaRegistryException e) {
      err.println("iris: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("iris: " + e);
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("iris: interrupted");
      return 1;
    }
  }
}
