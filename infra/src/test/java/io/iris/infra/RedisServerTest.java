package io.iris.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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
}
