package io.iris.feature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.infra.LocalInfra;
import io.iris.infra.LocalInfraExtension;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.RestoreParams;

/** Payloads built here are what Redis itself dumps, and Redis restores them. */
@ExtendWith(LocalInfraExtension.class)
class RedisHashDumpTest {
  /**
   * A value of every kind HSET stores: integers at the edges of each listpack width, numbers HSET
   * keeps as text (not canonical, or out of range), and strings of each length class up to the 64
   * bytes of a small hash.
   */
  private static final List<String> VALUES =
      List.of(
          "0",
          "1",
          "127",
          "128",
          "-1",
          "-4096",
          "4095",
          "-4097",
          "4096",
          "32767",
          "-32768",
          "32768",
          "8388607",
          "-8388608",
          "8388608",
          "2147483647",
          "-2147483648",
          "2147483648",
          "9223372036854775807",
          "-9223372036854775808",
          "9223372036854775808",
          "-9223372036854775809",
          "-0",
          "007",
          "+5",
          "1.5",
          "1e3",
          "-",
          "",
          "true",
          "SELECT",
          "x".repeat(63),
          "y".repeat(64));

  @Test
  void theChecksumIsRedisOwnCrc64() {
    byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
    assertEquals(0xe9c6d914c4b8d9caL, Crc64.of(check, 0, check.length));
  }

  @Test
  void aPayloadIsByteForByteWhatRedisDumpsForTheSameHash(LocalInfra infra) {
    Map<String, String> hash = new LinkedHashMap<>();
    for (int i = 0; i < VALUES.size(); i++) {
      hash.put("f" + i, VALUES.get(i));
    }
    hash.put("42", "a field name that is a number");
    try (Jedis redis = new Jedis(URI.create(infra.redisUrl().toUriWithCredentials()))) {
      String compression = redis.configGet("rdbcompression").get("rdbcompression");
      String key = "iris:test:dump:" + UUID.randomUUID();
      try {
        // Else DUMP compresses the listpack with LZF, which RESTORE takes either way.
        redis.configSet("rdbcompression", "no");
        hash.forEach((field, value) -> redis.hset(key, field, value));
        byte[] dumped = redis.dump(key);
        int version = RedisHashDump.rdbVersion(dumped);

        RedisHashDump dump = new RedisHashDump(version);
        dump.put(bytes("_before"), bytes("a hash put before clear() leaves no trace"));
        dump.clear();
        hash.forEach((field, value) -> dump.put(bytes(field), bytes(value)));
        assertArrayEquals(dumped, dump.payload());
      } finally {
        redis.configSet("rdbcompression", compression);
        redis.del(key);
      }
    }
  }

  @Test
  void redisRestoresLargeHashesThatPassItsDeepCheck(LocalInfra infra) {
    Map<String, String> hash = new LinkedHashMap<>();
    for (int i = 0; i < 200; i++) {
      hash.put("field-" + i, VALUES.get(i % VALUES.size()));
    }
    hash.put("long", "z".repeat(5_000));
    hash.put("longer", "w".repeat(70_000));
    try (Jedis redis = new Jedis(URI.create(infra.redisUrl().toUriWithCredentials()))) {
      String sanitize = redis.configGet("sanitize-dump-payload").get("sanitize-dump-payload");
      String key = "iris:test:dump:" + UUID.randomUUID();
      try {
        // Redis then walks every entry of the listpack and looks for duplicate fields.
        redis.configSet("sanitize-dump-payload", "yes");
        redis.hset(key, "probe", "1");
        byte[] dumped = redis.dump(key);
        int version = RedisHashDump.rdbVersion(dumped);
        RedisHashDump dump = new RedisHashDump(version);
        hash.forEach((field, value) -> dump.put(bytes(field), bytes(value)));
        dump.put(bytes("executions"), Long.MIN_VALUE);
        redis.restore(key, 60_000, dump.payload(), RestoreParams.restoreParams().replace());

        Map<String, String> expected = new LinkedHashMap<>(hash);
        expected.put("executions", Long.toString(Long.MIN_VALUE));
        assertEquals(expected, redis.hgetAll(key));
        long ttl = redis.pttl(key);
        assertTrue(ttl > 0 && ttl <= 60_000, "ttl " + ttl);
      } finally {
        redis.configSet("sanitize-dump-payload", sanitize);
        redis.del(key);
      }
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
