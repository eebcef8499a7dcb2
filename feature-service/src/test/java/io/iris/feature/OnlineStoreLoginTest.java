package io.iris.feature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.infra.ProcessMode;
import io.iris.infra.Readiness;
import io.iris.infra.RedisServer;
import io.iris.infra.RedisUrl;
import io.iris.platform.ConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The online store's login check at start, against a Redis that wants a password. */
class OnlineStoreLoginTest {
  private static final String PASSWORD = "redis-pw-8d02e7";

  @TempDir static Path home;
  private static RedisServer redis;

  @BeforeAll
  static void startRedis() throws Exception {
    redis =
        RedisServer.start(
            home,
            home.resolve("logs"),
            Readiness.freePort(),
            ProcessMode.CHILD,
            false,
            Optional.of(PASSWORD));
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.stop();
    }
  }

  private static RedisUrl address() {
    return RedisUrl.local(redis.url().port());
  }

  /** The message of the ConfigurationException the store fails with at start for {@code url}. */
  private static String refusal(String url) {
    return assertThrows(
            ConfigurationException.class,
            () -> {
              try (OnlineStore store = new OnlineStore(url, Duration.ofMinutes(1))) {
                store.checkLogin();
              }
            })
        .getMessage();
  }

  @Test
  void theRightPasswordLogsIn() {
    try (OnlineStore store =
        new OnlineStore(address().withPassword(PASSWORD).toUriWithCredentials(), Duration.ZERO)) {
      store.checkLogin();
      assertEquals(0, store.read(List.of("nothing-here")).size());
    }
  }

  @Test
  void aWrongPasswordStopsTheStartNamingTheSettingButNotThePassword() {
    String wrong = "not-" + PASSWORD;
    String message = refusal(address().withPassword(wrong).toUriWithCredentials());
    assertTrue(message.contains("IRIS_REDIS_URL"), message);
    assertTrue(message.contains("refused the login"), message);
    assertFalse(message.contains(wrong), message);
  }

  @Test
  void noPasswordWhereRedisWantsOneStopsTheStart() {
    String message = refusal(address().toUriWithCredentials());
    assertTrue(message.contains("IRIS_REDIS_URL"), message);
    assertTrue(message.contains("NOAUTH"), message);
  }

  @Test
  void aRedisThatDoesNotAnswerIsOnlyAWarning() {
    try (OnlineStore store =
        new OnlineStore(
            RedisUrl.local(Readiness.freePort()).withPassword(PASSWORD).toUriWithCredentials(),
            Duration.ZERO)) {
      store.checkLogin();
    }
  }

  @Test
  void aMalformedUrlIsNeverRepeated() {
    for (String url :
        List.of(
            "redis://:" + PASSWORD + " x@127.0.0.1:6379",
            "http://:" + PASSWORD + "@127.0.0.1:6379",
            "redis://:" + PASSWORD + "@127.0.0.1:6379/not-a-number")) {
      String message = refusal(url);
      assertTrue(message.contains("IRIS_REDIS_URL"), message);
      assertFalse(message.contains(PASSWORD), message);
    }
  }
}
