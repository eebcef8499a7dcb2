package io.iris.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedisUrlTest {

  @Test
  void parsesHostPortCredentialsAndDatabase() {
    RedisUrl url = RedisUrl.parse("redis://iris:p%40ss@cache.internal:6380/2");
    assertEquals("cache.internal", url.host());
    assertEquals(6380, url.port());
    assertEquals(Optional.of("iris"), url.user());
    assertEquals(Optional.of("p@ss"), url.password());
    assertEquals(2, url.database());
  }

  @Test
  void aPasswordWithoutUserAndTheDefaultPort() {
    RedisUrl url = RedisUrl.parse("redis://:secret@127.0.0.1");
    assertEquals(RedisUrl.DEFAULT_PORT, url.port());
    assertTrue(url.user().isEmpty());
    assertEquals(Optional.of("secret"), url.password());
    assertEquals("redis://:secret@127.0.0.1:6379/0", url.toUriWithCredentials());
  }

  @Test
  void printingNeverShowsThePassword() {
    RedisUrl url = RedisUrl.parse("redis://iris:hunter2@cache:6379");
    assertFalse(url.toString().contains("hunter2"));
    assertEquals("redis://iris:***@cache:6379/0", url.toString());
    assertEquals("redis://127.0.0.1:7000/0", RedisUrl.local(7000).toString());
  }

  @Test
  void badUrlsSayWhatIsWrongWithoutTheSecret() {
    IllegalArgumentException scheme =
        assertThrows(IllegalArgumentException.class, () -> RedisUrl.parse("http://u:hunter2@h"));
    assertTrue(scheme.getMessage().contains("redis://"), scheme.getMessage());
    assertFalse(scheme.getMessage().contains("hunter2"), scheme.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RedisUrl.parse("redis://h:6379/db"));
    assertThrows(IllegalArgumentException.class, () -> RedisUrl.parse("redis:///0"));
  }

  @Test
  void aPasswordOfAnyCharactersSurvivesTheRoundTrip() {
    RedisUrl url = RedisUrl.local(7000).withPassword("p@ss:w/rd+ %");
    assertEquals("redis://:p%40ss%3Aw%2Frd%2B%20%25@127.0.0.1:7000/0", url.toUriWithCredentials());
    assertEquals(url, RedisUrl.parse(url.toUriWithCredentials()));
    assertFalse(url.toString().contains("p@ss"), url.toString());
  }
}
