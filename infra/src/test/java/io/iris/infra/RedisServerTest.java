package io.iris.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisServerTest {

  @Test
  void theEmbeddedBinaryRunsWhenTheMachineHasNoRedis(@TempDir Path home) throws Exception {
    Path binary = RedisServer.embeddedBinary(home);
    assertTrue(Files.isExecutable(binary));
    int port = Readiness.freePort();
    RedisServer server =
        RedisServer.start(home, home.resolve("logs"), port, ProcessMode.CHILD, binary, false);
    try {
      assertTrue(server.isOwned());
      assertEquals(null, RedisServer.ping(RedisUrl.local(port)));
    } finally {
      server.stop();
    }
    assertNotNull(RedisServer.ping(RedisUrl.local(port)), "stopped Redis still answers");
  }

  @Test
  void anExternalRedisThatDoesNotAnswerFailsWithWhatToDo() {
    RedisUrl nobody = RedisUrl.parse("redis://:pw@127.0.0.1:" + Readiness.freePort());
    InfraException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            InfraException.class, () -> RedisServer.external(nobody));
    assertTrue(e.getMessage().contains("IRIS_REDIS_URL"), e.getMessage());
    assertTrue(!e.getMessage().contains("pw@"), e.getMessage());
  }

  @Test
  void aPasswordIsWantedAndNeverShownOnACommandLine(@TempDir Path home) throws Exception {
    String password = "redis-pw-" + UUID.randomUUID();
    int port = Readiness.freePort();
    RedisServer server =
        RedisServer.start(
            home, home.resolve("logs"), port, ProcessMode.CHILD, false, Optional.of(password));
    try {
      assertEquals(null, RedisServer.ping(server.url()));
      assertFalse(server.url().toString().contains(password), server.url().toString());
      assertNotNull(RedisServer.ping(RedisUrl.local(port)), "Redis answers without a login");
      assertNotNull(
          RedisServer.ping(RedisUrl.local(port).withPassword("wrong")), "a wrong password works");
      // What ps shows: the guard and redis-server under it.
      ProcessHandle guard = ProcessHandle.of(server.process().orElseThrow().pid()).orElseThrow();
      List<String> commandLines =
          Stream.concat(Stream.of(guard), guard.descendants())
              .map(p -> p.info().commandLine().orElse(""))
              .toList();
      assertTrue(
          commandLines.stream().anyMatch(c -> c.contains("redis-server")), commandLines::toString);
      assertTrue(commandLines.stream().noneMatch(c -> c.contains(password)));
      assertEquals(
          "rw-------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("redis.conf"))));
    } finally {
      server.stop();
    }
  }
}
