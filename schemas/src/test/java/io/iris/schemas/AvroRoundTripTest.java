package io.iris.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.iris.infra.LocalInfra;
import io.iris.infra.LocalInfraExtension;
import io.iris.schemas.avro.AwrSnapshot;
import io.iris.schemas.registry.RegistryConfig;
import io.iris.schemas.registry.SchemaRegistryClient;
import io.iris.schemas.serde.AvroDeserializer;
import io.iris.schemas.serde.AvroSerializer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every value type through the real broker and the real registry, and the bytes on the wire. */
@ExtendWith(LocalInfraExtension.class)
class AvroRoundTripTest {

  @Test
  void everyValueTypeSurvivesTheBrokerAndRegistry(LocalInfra infra) throws Exception {
    Map<String, Object> serdeConfig = Map.of(RegistryConfig.URL, infra.schemaRegistryUrl());
    for (Topic<?> declared : Topics.main()) {
      roundTrip(infra, declared, serdeConfig);
    }
    roundTrip(infra, Topics.deadLetter(Topics.SQL_TEMPLATES), serdeConfig);
  }

  private static <V extends SpecificRecord> void roundTrip(
      LocalInfra infra, Topic<V> declared, Map<String, Object> serdeConfig) throws Exception {
    String topic = createTopic(infra, declared.name());
    V sent = SampleRecords.of(declared.valueType());
    SchemaRegistryClient registry = new SchemaRegistryClient(RegistryConfig.from(serdeConfig));
    try (var serde = declared.valueSerde(registry, serdeConfig)) {
      produce(infra, topic, "k1", sent, serde.serializer());
      List<ConsumerRecord<String, V>> received =
          consume(infra, topic, 1, new StringDeserializer(), serde.deserializer());
      assertEquals(1, received.size());
      assertEquals("k1", received.get(0).key());
      assertEquals(sent, received.get(0).value(), declared.name() + " changed on the way");
    }
  }

  @Test
  void recordsAreInConfluentWireFormatAndDecodeWithTheRegistrysSchema(LocalInfra infra)
      throws Exception {
    String topic = createTopic(infra, "awr.snapshots");
    Map<String, Object> config = Map.of(RegistryConfig.URL, infra.schemaRegistryUrl());
    AwrSnapshot sent = SampleRecords.of(AwrSnapshot.class);
    AvroSerializer<AwrSnapshot> serializer = new AvroSerializer<>();
    serializer.configure(config, false);
    produce(infra, topic, "1:1", sent, serializer);

    byte[] raw =
        consume(infra, topic, 1, new StringDeserializer(), new ByteArrayDeserializer())
            .get(0)
            .value();
    assertEquals(0, raw[0], "magic byte");
    int id = ByteBuffer.wrap(raw, 1, 4).getInt();

    // Fetch the writer schema by id with plain HTTP, as any other team's client would.
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(infra.schemaRegistryUrl() + "/schemas/ids/" + id))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    Schema writer =
        new Schema.Parser()
            .parse(new ObjectMapper().readTree(response.body()).path("schema").asText());
    GenericRecord decoded =
        new GenericDatumReader<GenericRecord>(writer)
            .read(null, DecoderFactory.get().binaryDecoder(raw, 5, raw.length - 5, null));
    assertEquals(sent.getSnapId(), decoded.get("snapId"));
    assertEquals(sent.getSource(), decoded.get("source").toString());
    assertEquals(
        sent.getSqlStats().get(0).getSqlText(),
        ((GenericRecord) ((List<?>) decoded.get("sqlStats")).get(0)).get("sqlText").toString());
    assertEquals(sent.getEndIntervalTime().toEpochMilli(), decoded.get("endIntervalTime"));

    // The subject follows the TopicNameStrategy.
    SchemaRegistryClient registry = new SchemaRegistryClient(RegistryConfig.from(config));
    assertEquals(id, registry.latest(topic + "-value").id());

    // A consumer without the generated classes reads generic records.
    AvroDeserializer<Object> generic = new AvroDeserializer<>();
    generic.configure(config, false);
    assertInstanceOf(GenericRecord.class, generic.deserialize(topic, raw));
    AvroDeserializer<Object> specific = new AvroDeserializer<>();
    specific.configure(
        Map.of(
            RegistryConfig.URL,
            infra.schemaRegistryUrl(),
            RegistryConfig.SPECIFIC_AVRO_READER,
            "true"),
        false);
    assertEquals(sent, specific.deserialize(topic, raw));
  }

  static String createTopic(LocalInfra infra, String base) throws Exception {
    String name = base + "." + UUID.randomUUID().toString().substring(0, 8);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get();
    }
    return name;
  }

  static <V> void produce(
      LocalInfra infra, String topic, String key, V value, Serializer<V> serializer)
      throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
    try (KafkaProducer<String, V> producer =
        new KafkaProducer<>(props, new StringSerializer(), serializer)) {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    }
  }

  static <V> List<ConsumerRecord<String, V>> consume(
      LocalInfra infra,
      String topic,
      int count,
      Deserializer<String> keys,
      Deserializer<V> values) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, V>> records = new ArrayList<>();
    try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props, keys, values)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (records.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }
}
