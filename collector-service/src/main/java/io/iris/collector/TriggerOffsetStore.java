package io.iris.collector;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.KafkaOffsetBackingStore;
import org.apache.kafka.connect.util.SharedTopicAdmin;
import org.apache.kafka.connect.util.TopicAdmin;

/**
 * Kafka Connect's offset store on a Kafka topic, as the trigger's engine keeps its position
 * (offset.storage). It differs from the store Debezium's engine builds for {@link
 * KafkaOffsetBackingStore} in one way: it closes its admin client when stopped. Debezium's never
 * does, so each start of an engine would leave an admin client, its connections and its thread
 * behind.
 */
public final class TriggerOffsetStore extends KafkaOffsetBackingStore {
  private final OwnedAdmin admin;

  /** What Debezium's engine calls: it instantiates the store by class name. */
  public TriggerOffsetStore() {
    this(new OwnedAdmin());
  }

  private TriggerOffsetStore(OwnedAdmin admin) {
    super(admin, () -> "iris-collector-trigger", keyConverter());
    this.admin = admin;
  }

  @Override
  public void configure(WorkerConfig config) {
    Map<String, Object> props = new HashMap<>();
    // The engine's settings hold the Kafka client ones (bootstrap servers, security) among many.
    config
        .originals()
        .forEach(
            (key, value) -> {
              if (AdminClientConfig.configNames().contains(key)) {
                props.put(key, value);
              }
            });
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "iris-collector-trigger-admin");
    admin.open(new SharedTopicAdmin(props));
    super.configure(config);
  }

  @Override
  public void stop() {
    try {
      super.stop();
    } finally {
      admin.close();
    }
  }

  /** Offset keys as Debezium's own store writes them: JSON without schemas. */
  private static JsonConverter keyConverter() {
    JsonConverter converter = new JsonConverter();
    converter.configure(Map.of("schemas.enable", "false"), true);
    return converter;
  }

  /** The admin client, created when the store is configured, closed when it stops. */
  private static final class OwnedAdmin implements Supplier<TopicAdmin> {
    private SharedTopicAdmin admin;

    synchronized void open(SharedTopicAdmin opened) {
      close();
      admin = opened;
    }

    @Override
    public synchronized TopicAdmin get() {
      if (admin == null) {
        throw new IllegalStateException("the offset store is not configured");
      }
      return admin.get();
    }

    synchronized void close() {
      if (admin != null) {
        admin.close();
        admin = null;
      }
    }
  }
}
