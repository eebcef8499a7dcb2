package io.iris.feature;

import io.iris.platform.CauseMessages;
import io.iris.platform.ConfigurationException;
import io.iris.platform.Settings;
import io.iris.schemas.avro.FeatureVector;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * The online feature store: one Redis hash per (feature set, template), {@code
 * iris:fv:v1:<templateId>}, whose fields are the features that are known (a null feature has no
 * field) plus {@code _eventTime}. A write replaces the hash only if it is not older than what is
 * stored, atomically, so replays and out-of-order events never move a template back in time. Writes
 * are pipelined; the TTL is refreshed on every write.
 *
 * <p>How a write works, and why (docs/PERFORMANCE.md, "Online store performance"): each vector is
 * written with a plain HSET to a staged key of its own, which gets the TTL; then one Lua script per
 * {@value #SCRIPT_BATCH} vectors renames each staged hash over the template's hash, or drops it
 * when the stored one is newer. Passing the ~60 field names and values through Lua instead cost
 * more than the HSET itself. The rename replaces the whole hash, so features that became null
 * disappear, and it carries the staged key's TTL. Large writes use two connections at once.
 */
public final class OnlineStore implements AutoCloseable {
  /** The event time field, epoch milliseconds. */
  public static final String EVENT_TIME = "_eventTime";

  /** Vectors per script call: one call blocks Redis for about 3 µs per vector. */
  static final int SCRIPT_BATCH = 100;

  /** Staged hashes live under this prefix between their HSET and the script. */
  static final String STAGED_PREFIX = "iris:fv:staged:";

  /**
   * KEYS: pairs of (hash, staged hash); ARGV[1]: 1 when hashes never expire (the staged hash's
   * safety expiry is removed after the move), else 0; ARGV[i + 1]: the event time (ms) of the i-th
   * staged hash. Moves each staged hash over its hash unless the stored one is newer, else drops
   * it. Returns how many were moved.
   */
  static final String MOVE_IF_NOT_OLDER =
      """
      local keep = ARGV[1] == '1'
      local moved = 0
      for i = 2, #ARGV do
        local key, staged = KEYS[2 * i - 3], KEYS[2 * i - 2]
        local stored = redis.call('HGET', key, '_eventTime')
        if stored and tonumber(stored) > tonumber(ARGV[i]) then
          redis.call('DEL', staged)
        else
          redis.call('RENAME', staged, key)
          if keep then redis.call('PERSIST', key) end
          moved = moved + 1
        end
      end
      return moved
      """;

  private static final byte[] EVENT_TIME_FIELD = bytes(EVENT_TIME);

  /** The schema's field names, by position, encoded once. */
  private static final byte[][] FIELD_NAMES =
      FeatureVector.getClassSchema().getFields().stream()
          .map(f -> bytes(f.name()))
          .toArray(byte[][]::new);

  /** How long a staged hash lives when the store keeps hashes for ever: a dead writer's expire. */
  private static final long STAGED_SAFETY_SECONDS = 3_600;

  private static final byte[] KEEP = bytes("1");
  private static final byte[] EXPIRE = bytes("0");

  private static final Logger LOG = LoggerFactory.getLogger(OnlineStore.class);

  private final JedisPooled redis;

  /** host:port, for messages: the URL itself may hold a password. */
  private final String address;

  private final Optional<String> password;
  private final long ttlSeconds;
  private final ExecutorService secondWriter =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread thread = new Thread(r, "online-store-writer");
            thread.setDaemon(true);
            return thread;
          });

  /** The script's SHA: loaded on first use, and again after a Redis restart forgot it. */
  private volatile byte[] script;

  /** Staged keys are unique per store and write, so concurrent writers never share one. */
  private final String stagedPrefix = STAGED_PREFIX + UUID.randomUUID() + ":";

  private final AtomicLong stagedCount = new AtomicLong();

  /**
   * A store on the Redis at {@code redisUri} ({@code redis://[user:password@]host:port[/db]}); a
   * {@code ttl} under a second means no expiry. A malformed URL is a {@link ConfigurationException}
   * that does not repeat it, as it may hold a password.
   */
  public OnlineStore(String redisUri, Duration ttl) {
    URI uri = redisUri(redisUri);
    JedisPooled pool;
    try {
      pool = new JedisPooled(uri);
    } catch (RuntimeException e) {
      throw malformed();
    }
    this.redis = pool;
    this.address = JedisURIHelper.getHostAndPort(uri).toString();
    this.password = Optional.ofNullable(JedisURIHelper.getPassword(uri));
    this.ttlSeconds = ttl.toSeconds();
  }

  private static URI redisUri(String value) {
    URI uri;
    try {
      uri = new URI(value.trim());
    } catch (URISyntaxException e) {
      throw malformed();
    }
    if (!JedisURIHelper.isValid(uri)) {
      throw malformed();
    }
    return uri;
  }

  private static ConfigurationException malformed() {
    return new ConfigurationException(
        Settings.REDIS_URL.name()
            + " is not a Redis URL redis://[user:password@]host:port[/db] (its value is not shown:"
            + " it may hold a password)");
  }

  /**
   * Logs in to Redis once: a refused login (wrong password, or none where Redis wants one) is a
   * {@link ConfigurationException} naming {@code IRIS_REDIS_URL}; a Redis that does not answer only
   * a warning, since the writers retry until it does.
   */
  public void checkLogin() {
    try {
      redis.ping();
    } catch (JedisException e) {
      String reason = reasons(e);
      if (isRefusedLogin(e)) {
        throw new ConfigurationException(
            "Redis at "
                + address
                + " refused the login ("
                + reason
                + "): fix the password (and user) in "
                + Settings.REDIS_URL.name()
                + ", redis://[user:password@]host:port[/db]");
      }
      LOG.warn(
          "Redis at {} did not answer ({}); starting anyway, the writers retry", address, reason);
    }
  }

  /** Whether Redis turned the login down rather than not answering. */
  private static boolean isRefusedLogin(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof JedisAccessControlException) {
        return true;
      }
      // NOAUTH: no password where Redis wants one; ERR AUTH: one where Redis wants none.
      String message = t.getMessage();
      if (t instanceof JedisDataException
          && message != null
          && (message.startsWith("NOAUTH") || message.startsWith("ERR AUTH"))) {
        return true;
      }
    }
    return false;
  }

  /** The messages of {@code e} and its causes, the password (were Redis to echo it) masked. */
  private String reasons(Throwable e) {
    String shown = CauseMessages.of(e);
    return password.filter(p -> !p.isEmpty()).map(p -> shown.replace(p, "***")).orElse(shown);
  }

  /** The hash key of a template's vector. */
  public static String key(String templateId) {
    return "iris:fv:" + FeatureExtractor.FEATURE_SET + ":" + templateId;
  }

  /**
   * Writes {@code vectors} in one pipeline; returns how many were written (not older). Vectors of
   * the same template in one call are applied in order, so the newest wins there too. On an error
   * some vectors may be written and others not; writing them again is safe.
   */
  public int write(List<FeatureVector> vectors) {
    if (vectors.size() < 2 * SCRIPT_BATCH) {
      return writeRetryingScript(vectors);
    }
    // Two connections at once: with one, Redis idles while the client builds the next pipeline.
    // Split by template, so one template's vectors stay in order on one connection.
    List<FeatureVector> even = new ArrayList<>(vectors.size() / 2 + 1);
    List<FeatureVector> odd = new ArrayList<>(vectors.size() / 2 + 1);
    for (FeatureVector v : vectors) {
      (Math.floorMod(v.getTemplateId().hashCode(), 2) == 0 ? even : odd).add(v);
    }
    Future<Integer> other = secondWriter.submit(() -> writeRetryingScript(odd));
    int written = writeRetryingScript(even);
    try {
      return written + other.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing to Redis", e);
    }
  }

  private int writeRetryingScript(List<FeatureVector> vectors) {
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

  private byte[] script() {
    byte[] sha = script;
    if (sha == null) {
      sha = bytes(redis.scriptLoad(MOVE_IF_NOT_OLDER));
      script = sha;
    }
    return sha;
  }

  private int writeOnce(List<FeatureVector> vectors) {
    byte[] sha = script();
    List<Response<Object>> moved = new ArrayList<>(vectors.size() / SCRIPT_BATCH + 1);
    try (Pipeline pipeline = redis.pipelined()) {
      for (int from = 0; from < vectors.size(); from += SCRIPT_BATCH) {
        List<FeatureVector> batch =
            vectors.subList(from, Math.min(vectors.size(), from + SCRIPT_BATCH));
        List<byte[]> keys = new ArrayList<>(2 * batch.size());
        List<byte[]> eventTimes = new ArrayList<>(batch.size() + 1);
        eventTimes.add(ttlSeconds > 0 ? EXPIRE : KEEP);
        for (FeatureVector v : batch) {
          byte[] stagedKey = bytes(stagedPrefix + stagedCount.incrementAndGet());
          byte[] eventTime = bytes(Long.toString(v.getEventTime().toEpochMilli()));
          // A failed HSET or EXPIRE shows as the script's RENAME failing: only its reply is read.
          pipeline.sendCommand(hset(stagedKey, eventTime, v));
          // The rename carries the TTL over; and a hash staged by a writer that died (or whose
          // script failed) expires too, also when the store keeps hashes for ever.
          pipeline.expire(stagedKey, ttlSeconds > 0 ? ttlSeconds : STAGED_SAFETY_SECONDS);
          keys.add(bytes(key(v.getTemplateId())));
          keys.add(stagedKey);
          eventTimes.add(eventTime);
        }
        moved.add(pipeline.evalsha(sha, keys, eventTimes));
      }
      pipeline.sync();
    }
    int written = 0;
    for (Response<Object> response : moved) {
      written += ((Long) response.get()).intValue();
    }
    return written;
  }

  /** Where this store stages its hashes. */
  String stagedPrefix() {
    return stagedPrefix;
  }

  /** HSET of the event time and the known features, in schema order. */
  private static CommandArguments hset(byte[] key, byte[] eventTime, FeatureVector v) {
    CommandArguments args =
        new CommandArguments(Protocol.Command.HSET).add(key).add(EVENT_TIME_FIELD).add(eventTime);
    for (int i = 0; i < FIELD_NAMES.length; i++) {
      Object value = v.get(i);
      if (value != null) {
        args.add(FIELD_NAMES[i]).add(bytes(value(value)));
      }
    }
    return args;
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

  /** A known feature as a string: numbers as written, timestamps as epoch milliseconds. */
  static String value(Object value) {
    return value instanceof Instant t ? Long.toString(t.toEpochMilli()) : value.toString();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    secondWriter.shutdownNow();
    redis.close();
  }
}
