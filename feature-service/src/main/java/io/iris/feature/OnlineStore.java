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
import redis.clients.jedis.params.RestoreParams;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * The online feature store: one Redis hash per (feature set, template), {@code
 * iris:fv:v1:<templateId>}, whose fields are the features that are known (a null feature has no
 * field) plus {@code _eventTime}. A write replaces the hash only if it is not older than what is
 * stored, atomically, so replays and out-of-order events never move a template back in time. Writes
 * are pipelined; the TTL is refreshed on every write.
 *
 * <p>How a write works, and why (docs/PERFORMANCE.md, "Online store performance"): the hash is
 * built here as the payload Redis's DUMP would give for it ({@link RedisHashDump}), and one Lua
 * script per {@value #SCRIPT_BATCH} vectors RESTOREs each over the template's hash with the TTL,
 * unless the stored one is newer. Redis then copies one string into place, which costs it about
 * half a plain HSET of the same fields; the whole hash is replaced, so features that became null
 * disappear. On a Redis that does not take such payloads (before 7.0, or an ACL without DUMP and
 * RESTORE) each vector is HSET to a staged key and the script renames it over the template's hash
 * instead. Fields through Lua would cost more than either. Large writes use two connections.
 */
public final class OnlineStore implements AutoCloseable {
  /** The event time field, epoch milliseconds. */
  public static final String EVENT_TIME = "_eventTime";

  /** Vectors per script call: one call blocks Redis for about 3 µs per vector. */
  static final int SCRIPT_BATCH = 100;

  /** Staged hashes live under this prefix between their HSET and the script. */
  static final String STAGED_PREFIX = "iris:fv:staged:";

  /**
   * KEYS: hashes; ARGV[1]: the TTL in ms (0: none); ARGV[2i] and ARGV[2i + 1]: the i-th hash's
   * event time (ms) and DUMP payload. Restores each hash unless the stored one is newer. Returns
   * how many were restored.
   */
  static final String RESTORE_IF_NOT_OLDER =
      """
      local restored = 0
      for i = 1, #KEYS do
        local stored = redis.call('HGET', KEYS[i], '_eventTime')
        if not stored or tonumber(stored) <= tonumber(ARGV[2 * i]) then
          redis.call('RESTORE', KEYS[i], ARGV[1], ARGV[2 * i + 1], 'REPLACE')
          restored = restored + 1
        end
      end
      return restored
      """;

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

  /**
   * How this Redis takes writes: found out on first use, and again when Redis restarted (and forgot
   * the script) or no longer takes the payloads.
   */
  private volatile HashWrites writes;

  /** Whole hashes RESTOREd from payloads of {@code rdbVersion}, or (0) staged HSETs renamed. */
  private record HashWrites(int rdbVersion, byte[] script) {
    boolean restore() {
      return rdbVersion > 0;
    }
  }

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
      String message = String.valueOf(e.getMessage());
      // NOSCRIPT: Redis restarted and lost its script cache. DUMP payload: a Redis of another
      // version took its place. Either way, find out again; writes are idempotent.
      if (!message.startsWith("NOSCRIPT") && !message.contains("DUMP payload")) {
        throw e;
      }
      writes = null;
      return writeOnce(vectors);
    }
  }

  private HashWrites writes() {
    HashWrites w = writes;
    if (w == null) {
      // One probe at a time: the two writers of a large write share the probe's key.
      synchronized (this) {
        w = writes;
        if (w == null) {
          w = probe();
          writes = w;
        }
      }
    }
    return w;
  }

  /**
   * Whether this Redis restores a hash built here as the very hash HSET builds: its DUMP of a small
   * hash gives its RDB version and must be a listpack, and a RESTORE of one built here must read
   * back. A Redis that cannot (before 7.0, or an ACL without DUMP or RESTORE) gets staged writes.
   */
  private HashWrites probe() {
    String probe = stagedPrefix + "probe";
    byte[] key = bytes(probe);
    try {
      redis.hset(probe, EVENT_TIME, "1");
      byte[] dump = redis.dump(key);
      int version = RedisHashDump.rdbVersion(dump);
      if (dump[0] != RedisHashDump.HASH_LISTPACK) {
        return staged("its DUMP of a small hash is of RDB type " + dump[0]);
      }
      byte[] payload =
          new RedisHashDump(version).put(EVENT_TIME_FIELD, 2).put(key, bytes("ok")).payload();
      redis.restore(key, 0, payload, RestoreParams.restoreParams().replace());
      if (!redis.hgetAll(probe).equals(Map.of(EVENT_TIME, "2", probe, "ok"))) {
        return staged("a hash it RESTOREd did not read back as written");
      }
      LOG.info("Redis at {} takes whole hashes with RESTORE (RDB version {})", address, version);
      return new HashWrites(version, bytes(redis.scriptLoad(RESTORE_IF_NOT_OLDER)));
    } catch (JedisDataException e) {
      return staged(reasons(e));
    } finally {
      redis.del(key);
    }
  }

  private HashWrites staged(String why) {
    LOG.info(
        "Redis at {} gets each hash HSET to a staged key and renamed, the slower way: {}",
        address,
        why);
    return new HashWrites(0, bytes(redis.scriptLoad(MOVE_IF_NOT_OLDER)));
  }

  private int writeOnce(List<FeatureVector> vectors) {
    HashWrites w = writes();
    RedisHashDump dump = w.restore() ? new RedisHashDump(w.rdbVersion()) : null;
    List<Response<Object>> written = new ArrayList<>(vectors.size() / SCRIPT_BATCH + 1);
    try (Pipeline pipeline = redis.pipelined()) {
      for (int from = 0; from < vectors.size(); from += SCRIPT_BATCH) {
        List<FeatureVector> batch =
            vectors.subList(from, Math.min(vectors.size(), from + SCRIPT_BATCH));
        written.add(
            dump != null
                ? restore(pipeline, w.script(), dump, batch)
                : stage(pipeline, w.script(), batch));
      }
      pipeline.sync();
    }
    int count = 0;
    for (Response<Object> response : written) {
      count += ((Long) response.get()).intValue();
    }
    return count;
  }

  private Response<Object> restore(
      Pipeline pipeline, byte[] sha, RedisHashDump dump, List<FeatureVector> batch) {
    List<byte[]> keys = new ArrayList<>(batch.size());
    List<byte[]> args = new ArrayList<>(2 * batch.size() + 1);
    args.add(bytes(Long.toString(ttlSeconds > 0 ? ttlSeconds * 1_000 : 0)));
    for (FeatureVector v : batch) {
      long eventTime = v.getEventTime().toEpochMilli();
      keys.add(bytes(key(v.getTemplateId())));
      args.add(bytes(Long.toString(eventTime)));
      args.add(hash(dump.clear(), eventTime, v).payload());
    }
    return pipeline.evalsha(sha, keys, args);
  }

  private Response<Object> stage(Pipeline pipeline, byte[] sha, List<FeatureVector> batch) {
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
    return pipeline.evalsha(sha, keys, eventTimes);
  }

  /** Whether writes RESTORE whole hashes (else they are staged and renamed). */
  boolean writesWithRestore() {
    return writes().restore();
  }

  /** Where this store stages its hashes. */
  String stagedPrefix() {
    return stagedPrefix;
  }

  /** The event time and the known features, in schema order: the fields an HSET would set. */
  private static RedisHashDump hash(RedisHashDump dump, long eventTime, FeatureVector v) {
    dump.put(EVENT_TIME_FIELD, eventTime);
    for (int i = 0; i < FIELD_NAMES.length; i++) {
      Object value = v.get(i);
      if (value instanceof Integer || value instanceof Long) {
        dump.put(FIELD_NAMES[i], ((Number) value).longValue());
      } else if (value != null) {
        dump.put(FIELD_NAMES[i], bytes(value(value)));
      }
    }
    return dump;
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
