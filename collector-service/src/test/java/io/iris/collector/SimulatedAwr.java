package io.iris.collector;

import io.iris.simulator.AwrSimulator;
import io.iris.simulator.SimulatorConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/** A private in-memory AWR, filled by the simulator, reachable by JDBC URL from this JVM. */
final class SimulatedAwr implements AutoCloseable {
  static final long SHOP = 1_384_119_271L;
  static final long CRM = 2_917_331_044L;

  final String url = "jdbc:h2:mem:awr-" + UUID.randomUUID() + ";MODE=Oracle;DB_CLOSE_DELAY=-1";
  final Connection connection;
  final AwrSimulator simulator;

  SimulatedAwr(SimulatorConfig config) throws SQLException {
    connection = DriverManager.getConnection(url, "sa", "");
    simulator = new AwrSimulator(connection, config);
  }

  SimulatedAwr() throws SQLException {
    this(SimulatorConfig.standard(42));
  }

  Source source(String name) {
    return new Source(name, url, Optional.of("sa"), Optional.of(""), "DBA_HIST_", ZoneOffset.UTC);
  }

  AwrReader reader() {
    return new AwrReader(connection, source("sim"), 30);
  }

  void execute(String sql) throws SQLException {
    try (var statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  @Override
  public void close() throws SQLException {
    execute("SHUTDOWN");
  }
}
