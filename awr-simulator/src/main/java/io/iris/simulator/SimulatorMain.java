package io.iris.simulator;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.h2.tools.Server;

/**
 * The demo database: serves the simulated AWR over H2's TCP protocol on 127.0.0.1, fills it with
 * history, then takes a new snapshot every few seconds so the pipeline streams.
 *
 * <p>Settings: {@code IRIS_SIMULATOR_PORT} (9101), {@code IRIS_SIMULATOR_SEED} (42), {@code
 * IRIS_SIMULATOR_HISTORY} (snapshots at start, 24), {@code IRIS_SIMULATOR_EVERY_SECONDS} (the
 * snapshot interval, 60: a new snapshot this often; 0 for none after the history). The history ends
 * now, so the demo's freshness figures are real. The collector reads it at {@code
 * jdbc:h2:tcp://127.0.0.1:9101/mem:awr;MODE=Oracle}.
 */
public final class SimulatorMain {
  private SimulatorMain() {}

  public static void main(String[] args) throws Exception {
    int port = intEnv("IRIS_SIMULATOR_PORT", 9101);
    long seed = intEnv("IRIS_SIMULATOR_SEED", 42);
    int history = intEnv("IRIS_SIMULATOR_HISTORY", 24);
    int every = intEnv("IRIS_SIMULATOR_EVERY_SECONDS", 60);
    Duration interval = Duration.ofSeconds(every > 0 ? every : 900);
    Instant firstEnd =
        Instant.now().minus(interval.multipliedBy(history - 1L)).truncatedTo(ChronoUnit.SECONDS);
    SimulatorConfig config = SimulatorConfig.standard(seed).withTiming(firstEnd, interval);
    Server server =
        Server.createTcpServer("-tcpPort", Integer.toString(port), "-ifNotExists").start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
    // The in-memory database lives as long as this connection: as long as the process.
    try (Connection db =
        DriverManager.getConnection("jdbc:h2:mem:awr;MODE=Oracle;DB_CLOSE_DELAY=-1", "sa", "")) {
      // Snap ids from the clock: a restarted simulator goes on where a collector stopped.
      long firstSnapId = firstEnd.getEpochSecond() / interval.toSeconds();
      AwrSimulator simulator = new AwrSimulator(db, config, firstSnapId);
      simulator.generate(history);
      System.out.printf(
          "AWR simulator: %d snapshots of %s at %s%n", history, config.databases(), url(port));
      while (every > 0) {
        Thread.sleep(Duration.ofSeconds(every));
        long snapId = simulator.takeSnapshot();
        System.out.printf("AWR simulator: snapshot %d taken%n", snapId);
      }
      Thread.currentThread().join();
    }
  }

  /** The JDBC URL a collector uses for the simulator on {@code port}. */
  public static String url(int port) {
    return "jdbc:h2:tcp://127.0.0.1:" + port + "/mem:awr;MODE=Oracle";
  }

  private static int intEnv(String name, int defaultValue) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + "=" + value + " is not a whole number", e);
    }
  }
}
