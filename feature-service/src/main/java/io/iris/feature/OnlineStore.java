package io.iris.feature;

import io.iris.schemas.avro.FeatureVector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The online feature store: one Redis hash per (feature set, template), {@code
 * iris:fv:v1:<templateId>}, whose fields are the features that are known (a null feature has no
 * field) plus {@code _eventTime}. A write replaces the hash only if it is not older than what is
 * stored, atomically in a Lua script, so replays and out-of-order events never move a template back
 * in time. Writes are pipelined; the TTL is refreshed on every write.
 */
public final class OnlineStore implements AutoCloseable {
  /** The event time field, epoch milliseconds. */
  public static final String EVENT_TIME = "_eventTime";

  /**
   * KEYS[1] the hash; ARGV[1] event time (ms); ARGV[2] TTL seconds (0: none); ARGV[3..] field,
   * value pairs. Returns 1 when written, 0 when a newer vector is stored.
   */
  static final String WRITE_IF_NOT_OLDER =
      """
      local stored = redis.call('HGET', KEYS[1], '_eventTime')
      if stored and tonumber(stored) > tonumber(ARGV[1]) then return 0 end
      redis.call('DEL', KEYS[1])
      redis.call('HSET', KEYS[1], '_eventTime', ARGV[1], unpack(ARGV, 3))
      if tonumber(ARGV[2]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
      return 1
      """;

  private final JedisPooled redis;
  private final Duration ttl;

  /** The script's SHA: loaded on first use, and again after a Redis restart forgot it. */
  private volatile String script;

  /** A store on the Redis at {@code redisUri} ({@code redis://[user:password@]host:port[/db]}). */
  public OnlineStore(String redisUri, Duration ttl) {
    this.redis = new JedisPooled(redisUri);
    this.ttl = ttl;
  }

  /** The hash key of a template's vector. */
  public static String key(String templateId) {
    return "iris:fv:" + FeatureExtractor.FEATURE_SET + ":" + templateId;
  }

  /** Writes {@code vectors} in one pipeline; returns how many were written (not older). */
  public int write(List<FeatureVector> vectors) {
    try {
      return writeOnce(vectors);
    } catch (JedisDataException e) {
      if (e.getMessage() == null || !e.getMessage().startsWith("NOSCRIPT")) {
        throw e;
      }
      // Redis restarted and lost its script cache; writes are idempotent, so write again.
      script = null;
      return writeOnce(vectors);
    }
  }

  private String script() {
    String sha = script;
    if (sha == null) {
      sha = redis.scriptLoad(WRITE_IF_NOT_OLDER);
      script = sha;
    }
    return sha;
  }

  private int writeOnce(List<FeatureVector> vectors) {
    String sha = script();
    List<Response<Object>> responses = new ArrayList<>(vectors.size());
    try (Pipeline pipeline = redis.pipelined()) {
      for (FeatureVector v : vectors) {
        List<String> args = new ArrayList<>();
        args.add(Long.toString(v.getEventTime().toEpochMilli()));
        args.add(Long.toString(ttl.toSeconds()));
        fields(v)
            .forEach(
                (name, value) -> {
                  args.add(name);
                  args.add(value);
                });
        responses.add(pipeline.evalsha(sha, List.of(key(v.getTemplateId())), args));
      }
      pipeline.sync();
    }
    int written = 0;
    for (Response<Object> response : responses) {
      written += ((Long) response.get()).intValue();
    }
    return written;
  }

  /** The stored features of a template, or empty. */
  public Optional<Map<String, String>> read(String templateId) {
    Map<String, String> fields = redis.hgetAll(key(templateId));
    return fields.isEmpty() ? Optional.empty() : Optional.of(fields);
  }

  /** The stored features of several templates, in one pipeline; absent ones are left out. */
  public Map<String, Map<String, String>> read(List<String> templateIds) {
    Map<String, Response<Map<String, String>>> responses = new LinkedHashMap<>();
    try (Pipeline pipeline = redis.pipelined()) {
      for (String id : templateIds) {
        responses.put(id, pipeline.hgetAll(key(id)));
      }
      pipeline.sync();
    }
    Map<String, Map<String, String>> found = new LinkedHashMap<>();
    responses.forEach(
        (id, response) -> {
          if (!response.get().isEmpty()) {
            found.put(id, response.get());
          }
        });
    return found;
  }

  /** The known features as strings: numbers as written, timestamps as epoch milliseconds. */
  static Map<String, String> fields(FeatureVector v) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (Schema.Field field : v.getSchema().getFields()) {
      Object value = v.get(field.pos());
      if (value != null) {
        fields.put(
            field.name(),
            value instanceof Instant t ? Long.toString(t.toEpochMilli()) : value.toString());
      }
    }
    return fields;
  }

  @Override
  public void close() {
    redis.close();
  }
}
