package io.iris.compose;

import io.iris.infra.InfraException;
import io.iris.platform.ConfigurationException;
import io.iris.platform.IrisConfig;
import io.iris.platform.KafkaSettings;
import io.iris.platform.Settings;
import io.iris.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The launcher behind {@code ./iris}: {@code up} starts the whole system on this machine, {@code
 * status} shows it, {@code down} stops it. Run from the repository root. {@code setup} only creates
 * the topics and registers the schemas on the configured broker and registry, starting nothing:
 * what the one-shot {@code setup} container of {@code compose/docker-compose.yml} runs.
 */
public final class Launcher {
  private static final String USAGE = "usage: iris (up|status|down|lag|setup)";

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
    if (args.length > 0 && args[0].equals("lag")) {
      return lag(Arrays.copyOfRange(args, 1, args.length), config, out, err);
    }
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

  /**
   * {@code lag [--bootstrap-server HOST:PORT] [--group GROUP]}: every consumer group's lag per
   * partition in records and seconds, on the configured cluster or the one given.
   */
  static int lag(String[] args, IrisConfig config, PrintStream out, PrintStream err) {
    Optional<String> group = Optional.empty();
    IrisConfig effective = config;
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (i + 1 >= args.length
          || !(option.equals("--bootstrap-server") || option.equals("--group"))) {
        err.println(
            "iris lag: unexpected '"
                + option
                + "'; usage: iris lag [--bootstrap-server HOST:PORT] [--group GROUP]");
        return 2;
      }
      String value = args[++i];
      if (option.equals("--group")) {
        group = Optional.of(value);
      } else {
        effective = effective.with("IRIS_KAFKA_BOOTSTRAP_SERVERS", value);
      }
    }
    KafkaSettings kafka = new KafkaSettings(effective, "launcher");
    try {
      Map<String, Object> admin = kafka.admin();
      admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
      admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
      ConsumerLag.print(
          ConsumerLag.of(admin, kafka.consumer("iris-lag"), group, Instant.now()), out);
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("iris lag: interrupted");
      return 1;
    } catch (Exception e) {
      err.println(
          "iris lag: cannot read the groups from "
              + effective.get(Settings.KAFKA_BOOTSTRAP_SERVERS)
              + ": "
              + e.getMessage()
              + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")"));
      return 1;
    }
  }
}
