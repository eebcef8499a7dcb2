package io.iris.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresServerTest {

  @Test
  void aPrivateClusterWithLogicalDecodingStartsAndStops(@TempDir Path home) throws Exception {
    int port = Readiness.freePort();
    PostgresServer server = PostgresServer.start(home, home.resolve("logs"), port);
    try {
      assertEquals("logical", server.sql("SHOW wal_level"));
      assertEquals("127.0.0.1", server.sql("SHOW listen_addresses"));
      server.sql("CREATE TABLE t (id int PRIMARY KEY)");
      server.sql("INSERT INTO t VALUES (7)");
      assertEquals("7", server.sql("SELECT id FROM t"));
    } finally {
      server.stop();
    }
    assertFalse(server.process().isAlive());
    assertFalse(Readiness.isListening("127.0.0.1", port), "stopped PostgreSQL still listens");
  }
}
