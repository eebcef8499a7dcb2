package io.iris.platform;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.iris.infra.LocalInfra;
import io.iris.infra.LocalInfraExtension;
import io.iris.infra.Readiness;
import io.iris.schemas.registry.RegistryConfig;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalInfraExtension.class)
class RegistryLoginTest {
  private static final String PASSWORD = "s3cr3t-registry-pw";

  private static Map<String, Object> serde(String url, String userInfo) {
    Map<String, Object> serde = new HashMap<>();
    serde.put(RegistryConfig.URL, url);
    if (userInfo != null) {
      serde.put(RegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO");
      serde.put(RegistryConfig.BASIC_AUTH_USER_INFO, userInfo);
    }
    return serde;
  }

  @Test
  void aRegistryThatAnswersLetsTheServiceStart(LocalInfra infra) {
    RegistryLogin.check(serde(infra.schemaRegistryUrl(), null));
  }

  @Test
  void aRefusedLoginStopsTheStartWithTheVariableToFixAndNoPassword(LocalInfra infra)
      throws Exception {
    // What a registry with basic auth answers to a wrong password, as Confluent's does.
    HttpServer refusing = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    refusing.createContext(
        "/",
        exchange -> {
          byte[] body =
              "{\"error_code\":401,\"message\":\"Unauthorized\"}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(401, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    refusing.start();
    try {
      String url = "http://127.0.0.1:" + refusing.getAddress().getPort();
      ConfigurationException e =
          assertThrows(
              ConfigurationException.class,
              () -> RegistryLogin.check(serde(url, "iris:" + PASSWORD)));
      assertTrue(e.getMessage().contains("IRIS_SCHEMA_REGISTRY_USER_INFO"), e.getMessage());
      assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
      assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
      IrisConfig config =
          new IrisConfig(
              Map.of(
                  "IRIS_KAFKA_BOOTSTRAP_SERVERS",
                  infra.bootstrapServers(),
                  "IRIS_SCHEMA_REGISTRY_URL",
                  url,
                  "IRIS_SCHEMA_REGISTRY_USER_INFO",
                  "iris:" + PASSWORD,
                  "IRIS_HTTP_PORT",
                  Integer.toString(Readiness.freePort())));
      ConfigurationException atStart =
          assertThrows(
              ConfigurationException.class, () -> ServiceRuntime.start("parser", 0, config));
      assertTrue(atStart.getMessage().startsWith("the schema registry at"), atStart.getMessage());
    } finally {
      refusing.stop(0);
    }
  }

  @Test
  void aRegistryThatDoesNotAnswerYetIsOnlyAWarning() {
    RegistryLogin.check(serde("http://127.0.0.1:" + Readiness.freePort(), "iris:" + PASSWORD));
  }
}
