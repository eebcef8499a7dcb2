package io.iris.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalInfraExtension.class)
class LocalInfraTest {
  private static LocalInfra first;

  @Test
  void everyTestOfTheJvmGetsTheSameRunningInfrastructure(LocalInfra infra) throws Exception {
    if (first == null) {
      first = infra;
    }
    assertSame(first, infra);
    try (Admin admin =
        Admin.create(Map.<String, Object>of("bootstrap.servers", infra.bootstrapServers()))) {
      assertEquals(1, admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size());
    }
    HttpResponse<String> config =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(infra.schemaRegistryUrl() + "/config")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertTrue(config.body().contains("BACKWARD"), config.body());
    assertEquals(null, RedisServer.ping(infra.redisUrl()));
    assertTrue(infra.kafka().process().isAlive());
    assertTrue(infra.registry().process().isAlive());
  }

  @Test
  void aSecondRegistryRunsBesideTheFirst(
      LocalInfra infra, @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    SchemaRegistryServer second =
        SchemaRegistryServer.start(
            dir,
            dir.resolve("logs"),
            Readiness.freePort(),
            java.util.Optional.empty(),
            ProcessMode.CHILD);
    try {
      assertTrue(second.process().isAlive());
      assertTrue(infra.registry().process().isAlive());
    } finally {
      second.stop();
    }
  }

  @Test
  void theSecondTestReusesIt(LocalInfra infra) throws Exception {
    everyTestOfTheJvmGetsTheSameRunningInfrastructure(infra);
  }
}
