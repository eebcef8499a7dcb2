package io.iris.feature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.infra.LocalInfra;
import io.iris.infra.LocalInfraExtension;
import io.iris.infra.RedisUrl;
import io.iris.schemas.avro.FeatureVector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.avro.Schema;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Protocol;

/** The online store against the real Redis, both ways it writes. */
@ExtendWith(LocalInfraExtension.class)
class OnlineStoreTest {
  /** A Redis user that may do everything but DUMP and RESTORE. */
  private static final String NO_RESTORE = "iris-no-restore";

  enum Writes {
    /** Whole hashes built here, RESTOREd: what Redis 7.0 and later get. */
    RESTORE,
    /** Staged HSETs, renamed: what a Redis gets that does not take RESTORE. */
    STAGED;

    OnlineStore store(LocalInfra infra, Duration ttl) {
      RedisUrl url = infra.redisUrl();
      if (this == STAGED) {
        String password = UUID.randomUUID().toString();
        try (JedisPooled redis = new JedisPooled(url.toUriWithCredentials())) {
          redis.sendCommand(
              Protocol.Command.ACL,
              "SETUSER",
              NO_RESTORE,
              "reset",
              "on",
              ">" + password,
              "~*",
              "&*",
              "+@all",
              "-dump",
              "-restore");
        }
        url =
            new RedisUrl(
                url.host(),
                url.port(),
                Optional.of(NO_RESTORE),
                Optional.of(password),
                url.database());
      }
      OnlineStore store = new OnlineStore(url.toUriWithCredentials(), ttl);
      assertEquals(this == RESTORE, store.writesWithRestore(), "the way it writes");
      return store;
    }
  }

  private static FeatureVector vector(String id, Instant eventTime, Long executions) {
    FeatureVector v =
        FeatureExtractor.extract(
            FeatureExtractorTest.observation(executions, 1_000L),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    v.setTemplateId(id);
    v.setEventTime(eventTime);
    return v;
  }

  @ParameterizedTest
  @EnumSource(Writes.class)
  void aNewerVectorReplacesAnOlderOneNeverTheOtherWayRound(Writes writes, LocalInfra infra) {
    String id = UUID.randomUUID().toString().substring(0, 16);
    Instant t = Instant.parse("2026-11-26T10:00:00Z");
    try (OnlineStore store = writes.store(infra, Duration.ofHours(1))) {
      assertEquals(1, store.write(List.of(vector(id, t, 10L))));
      assertEquals(
          0,
          store.write(List.of(vector(id, t.minusSeconds(900), 99L))),
          "an older event is ignored");
      assertEquals("10", store.read(id).orElseThrow().get("executions"));
      assertEquals(1, store.write(List.of(vector(id, t.plusSeconds(900), 20L))));
      Map<String, String> stored = store.read(id).orElseThrow();
      assertEquals("20", stored.get("executions"));
      assertEquals(
          Long.toString(t.plusSeconds(900).toEpochMilli()), stored.get(OnlineStore.EVENT_TIME));
      assertEquals(
          1,
          store.write(List.of(vector(id, t.plusSeconds(900), 20L))),
          "a replay of the same event is harmless");
    }
  }

  @ParameterizedTest
  @EnumSource(Writes.class)
  void unknownFeaturesHaveNoFieldAndTheTtlIsSet(Writes writes, LocalInfra infra) {
    String id = UUID.randomUUID().toString().substring(0, 16);
    try (OnlineStore store = writes.store(infra, Duration.ofMinutes(10));
        JedisPooled redis = new JedisPooled(infra.redisUrl().toUriWithCredentials())) {
      store.write(List.of(vector(id, Instant.now(), 0L)));
      Map<String, String> stored = store.read(id).orElseThrow();
      assertFalse(stored.containsKey("elapsedPerExecUs"), "null features are absent, not zero");
      assertFalse(stored.containsKey("hostCpuUtilizationPct"));
      assertEquals("SELECT", stored.get("statementType"));
      long ttl = redis.ttl(OnlineStore.key(id));
      assertTrue(ttl > 0 && ttl <= 600, "ttl " + ttl);
      assertTrue(store.read("no-such-template").isEmpty());
    }
  }

  @ParameterizedTest
  @EnumSource(Writes.class)
  void aFeatureThatBecomesNullDisappears(Writes writes, LocalInfra infra) {
    String id = UUID.randomUUID().toString().substring(0, 16);
    Instant t = Instant.parse("2026-11-26T10:00:00Z");
    FeatureVector withHost = vector(id, t, 10L);
    withHost.setHostCpuUtilizationPct(35.5);
    try (OnlineStore store = writes.store(infra, Duration.ofHours(1))) {
      store.write(List.of(withHost));
      assertEquals("35.5", store.read(id).orElseThrow().get("hostCpuUtilizationPct"));
      store.write(List.of(vector(id, t.plusSeconds(900), 20L)));
      Map<String, String> stored = store.read(id).orElseThrow();
      assertFalse(stored.containsKey("hostCpuUtilizationPct"), "no stale value of a null feature");
      assertEquals("20", stored.get("executions"));
      withHost.setEventTime(t.plusSeconds(300));
      assertEquals(0, store.write(List.of(withHost)), "an older vector brings nothing back");
      assertFalse(store.read(id).orElseThrow().containsKey("hostCpuUtilizationPct"));
    }
  }

  @ParameterizedTest
  @EnumSource(Writes.class)
  void theStoredHashIsExactlyTheKnownFeaturesAndTheEventTime(Writes writes, LocalInfra infra) {
    String id = UUID.randomUUID().toString().substring(0, 16);
    FeatureVector v = vector(id, Instant.parse("2026-11-26T10:00:00Z"), 10L);
    Map<String, String> expected = new HashMap<>();
    expected.put(OnlineStore.EVENT_TIME, Long.toString(v.getEventTime().toEpochMilli()));
    for (Schema.Field field : FeatureVector.getClassSchema().getFields()) {
      Object value = v.get(field.pos());
      if (value != null) {
        expected.put(field.name(), OnlineStore.value(value));
      }
    }
    try (OnlineStore store = writes.store(infra, Duration.ofHours(1))) {
      store.write(List.of(v));
      assertEquals(expected, store.read(id).orElseThrow());
      assertEquals(Long.toString(v.getEventTime().toEpochMilli()), expected.get("eventTime"));
      assertEquals("true", expected.get("hasOrderBy"));
      assertEquals("100.0", expected.get("elapsedPerExecUs"));
    }
  }

  @ParameterizedTest
  @EnumSource(Writes.class)
  void everyWriteRefreshesTheTtlAndARejectedOneLeavesItAlone(Writes writes, LocalInfra infra) {
    String id = UUID.randomUUID().toString().substring(0, 16);
    String key = OnlineStore.key(id);
    Instant t = Instant.parse("2026-11-26T10:00:00Z");
    try (OnlineStore store = writes.store(infra, Duration.ofMinutes(10));
        JedisPooled redis = new JedisPooled(infra.redisUrl().toUriWithCredentials())) {
      store.write(List.of(vector(id, t, 10L)));
      redis.expire(key, 60);
      assertEquals(1, store.write(List.of(vector(id, t.plusSeconds(900), 20L))));
      assertTrue(redis.ttl(key) > 60, "refreshed: " + redis.ttl(key));
      redis.expire(key, 60);
      assertEquals(0, store.write(List.of(vector(id, t, 10L))));
      assertTrue(redis.ttl(key) <= 60, "an ignored write is no write: " + redis.ttl(key));
    }
  }

  @ParameterizedTest
  @EnumSource(Writes.class)
  void withoutATtlKeysDoNotExpire(Writes writes, LocalInfra infra) {
    String id = UUID.randomUUID().toString().substring(0, 16);
    try (OnlineStore store = writes.store(infra, Duration.ZERO);
        JedisPooled redis = new JedisPooled(infra.redisUrl().toUriWithCredentials())) {
      store.write(List.of(vector(id, Instant.now(), 10L)));
      assertEquals(-1, redis.ttl(OnlineStore.key(id)));
      redis.unlink(OnlineStore.key(id));
    }
  }

  @ParameterizedTest
  @EnumSource(Writes.class)
  void withinOneBatchTheNewestVectorOfATemplateWins(Writes writes, LocalInfra infra) {
    String id = UUID.randomUUID().toString().substring(0, 16);
    Instant t = Instant.parse("2026-11-26T10:00:00Z");
    try (OnlineStore store = writes.store(infra, Duration.ofHours(1))) {
      assertEquals(
          1, store.write(List.of(vector(id, t.plusSeconds(900), 20L), vector(id, t, 10L))));
      assertEquals("20", store.read(id).orElseThrow().get("executions"));
      assertEquals(
          2,
          store.write(
              List.of(vector(id, t.plusSeconds(1800), 30L), vector(id, t.plusSeconds(2700), 40L))));
      assertEquals("40", store.read(id).orElseThrow().get("executions"));
    }
  }

  @ParameterizedTest
  @EnumSource(Writes.class)
  void batchesArePipelined(Writes writes, LocalInfra infra) {
    String prefix = UUID.randomUUID().toString().substring(0, 8);
    List<FeatureVector> vectors = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      ids.add(prefix + i);
      vectors.add(vector(prefix + i, Instant.now(), (long) i));
    }
    try (OnlineStore store = writes.store(infra, Duration.ofHours(1))) {
      assertEquals(1_000, store.write(vectors));
      Map<String, Map<String, String>> found = store.read(ids.subList(0, 100));
      assertEquals(100, found.size());
      assertEquals("42", found.get(prefix + 42).get("executions"));
      assertEquals(1, store.read(List.of(prefix + 1, "missing")).size());
      assertEquals(0, store.write(List.of()));
      try (JedisPooled redis = new JedisPooled(infra.redisUrl().toUriWithCredentials())) {
        assertTrue(
            redis.keys(store.stagedPrefix() + "*").isEmpty(),
            "every staged hash was moved into place or dropped, and the probe deleted");
      }
    }
  }
}
