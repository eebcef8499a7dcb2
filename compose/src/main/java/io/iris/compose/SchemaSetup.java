package io.iris.compose;

import io.iris.schemas.Topic;
import io.iris.schemas.Topics;
import io.iris.schemas.registry.SchemaRegistryClient;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Registers every topic's value schema under its TopicNameStrategy subject. Registering a schema
 * that is already there is a no-op; one the registry finds incompatible fails with the registry's
 * reason.
 */
final class SchemaSetup {
  private SchemaSetup() {}

  /** Subject → schema id, in topic order. */
  static Map<String, Integer> registerAll(SchemaRegistryClient registry) {
    Map<String, Integer> ids = new LinkedHashMap<>();
    for (Topic<?> topic : Topics.all()) {
      ids.put(topic.valueSubject(), registry.register(topic.valueSubject(), topic.valueSchema()));
    }
    return ids;
  }
}
