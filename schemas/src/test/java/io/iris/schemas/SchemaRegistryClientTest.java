package io.iris.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.infra.LocalInfra;
import io.iris.infra.LocalInfraExtension;
import io.iris.infra.Readiness;
import io.iris.schemas.registry.RegistryConfig;
import io.iris.schemas.registry.SchemaRegistryClient;
import io.iris.schemas.registry.SchemaRegistryException;
import io.iris.schemas.serde.AvroDeserializer;
import io.iris.schemas.serde.AvroSerializer;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The registry client and the serializer's registry modes, against the real registry. */
@ExtendWith(LocalInfraExtension.class)
class SchemaRegistryClientTest {
  private static final Schema V1 =
      SchemaBuilder.record("Probe").namespace("test").fields().requiredLong("n").endRecord();
  private static final Schema V2 =
      SchemaBuilder.record("Probe")
          .namespace("test")
          .fields()
          .requiredLong("n")
          .name("unit")
          .type()
          .stringType()
          .stringDefault("ms")
          .endRecord();
  private static final Schema INCOMPATIBLE =
      SchemaBuilder.record("Probe").namespace("test").fields().requiredString("n").endRecord();

  private static String subject() {
    return "probe-" + UUID.randomUUID() + "-value";
  }

  private static SchemaRegistryClient client(LocalInfra infra) {
    return new SchemaRegistryClient(
        RegistryConfig.from(Map.of(RegistryConfig.URL, infra.schemaRegistryUrl())));
  }

  @Test
  void registeringTwiceGivesOneIdAndTheIdGivesTheSchemaBack(LocalInfra infra) {
    String subject = subject();
    int id = client(infra).register(subject, V1);
    assertEquals(id, client(infra).register(subject, V1));
    assertEquals(id, client(infra).lookup(subject, V1));
    assertEquals(V1, client(infra).schemaById(id));
    assertEquals(1, client(infra).latest(subject).version());
    assertTrue(client(infra).subjects().contains(subject));
  }

  @Test
  void theRegistryEnforcesBackwardCompatibility(LocalInfra infra) {
    String subject = subject();
    SchemaRegistryClient client = client(infra);
    client.register(subject, V1);
    assertTrue(client.testCompatibility(subject, V2).compatible());
    assertFalse(client.testCompatibility(subject, INCOMPATIBLE).compatible());
    SchemaRegistryException e =
        assertThrows(SchemaRegistryException.class, () -> client.register(subject, INCOMPATIBLE));
    assertEquals(409, e.httpStatus().orElseThrow());
    assertTrue(e.getMessage().contains(subject), e.getMessage());
    client.register(subject, V2);
    assertEquals(2, client.latest(subject).version());
  }

  @Test
  void aNewSubjectAcceptsAnySchema(LocalInfra infra) {
    assertTrue(client(infra).testCompatibility(subject(), INCOMPATIBLE).compatible());
  }

  @Test
  void unknownIdsAndSubjectsAreNotFoundErrorsNamingWhatWasAskedFor(LocalInfra infra) {
    SchemaRegistryException id =
        assertThrows(SchemaRegistryException.class, () -> client(infra).schemaById(987654));
    assertTrue(id.isNotFound());
    assertTrue(id.getMessage().contains("987654"), id.getMessage());
    String subject = subject();
    SchemaRegistryException lookup =
        assertThrows(SchemaRegistryException.class, () -> client(infra).lookup(subject, V1));
    assertTrue(lookup.isNotFound());
    assertTrue(lookup.getMessage().contains(subject), lookup.getMessage());
  }

  @Test
  void aDeadUrlIsRetriedOnTheNextOne(LocalInfra infra) {
    String dead = "http://127.0.0.1:" + Readiness.freePort();
    SchemaRegistryClient client =
        new SchemaRegistryClient(
            RegistryConfig.from(
                Map.of(RegistryConfig.URL, dead + "," + infra.schemaRegistryUrl())));
    String subject = subject();
    assertTrue(client.register(subject, V1) > 0);
  }

  @Test
  void anUnreachableRegistryFailsAfterItsRetriesNamingTheRegistry() {
    String dead = "http://127.0.0.1:" + Readiness.freePort();
    SchemaRegistryClient client =
        new SchemaRegistryClient(
            RegistryConfig.from(Map.of(RegistryConfig.URL, dead, RegistryConfig.MAX_RETRIES, "1")));
    SchemaRegistryException e =
        assertThrows(SchemaRegistryException.class, () -> client.schemaById(1));
    assertTrue(e.getMessage().contains(dead), e.getMessage());
    assertTrue(e.httpStatus().isEmpty());
  }

  @Test
  void withoutAutoRegisterAnUnregisteredSchemaCannotBeWritten(LocalInfra infra) {
    AvroSerializer<GenericRecord> serializer = new AvroSerializer<>();
    serializer.configure(
        Map.of(
            RegistryConfig.URL,
            infra.schemaRegistryUrl(),
            RegistryConfig.AUTO_REGISTER_SCHEMAS,
            "false"),
        false);
    GenericRecord record = new GenericData.Record(V1);
    record.put("n", 1L);
    String topic = "probe-" + UUID.randomUUID();
    SerializationException e =
        assertThrows(SerializationException.class, () -> serializer.serialize(topic, record));
    assertTrue(e.getMessage().contains(topic + "-value"), e.getMessage());

    client(infra).register(topic + "-value", V1);
    assertEquals(0, serializer.serialize(topic, record)[0]);
  }

  @Test
  void useLatestVersionWritesWithTheNewestRegisteredSchema(LocalInfra infra) {
    String topic = "probe-" + UUID.randomUUID();
    client(infra).register(topic + "-value", V1);
    int v2 = client(infra).register(topic + "-value", V2);
    AvroSerializer<GenericRecord> serializer = new AvroSerializer<>();
    Map<String, Object> config =
        Map.of(
            RegistryConfig.URL, infra.schemaRegistryUrl(),
            RegistryConfig.AUTO_REGISTER_SCHEMAS, "false",
            RegistryConfig.USE_LATEST_VERSION, "true");
    serializer.configure(config, false);
    GenericRecord record = new GenericData.Record(V1);
    record.put("n", 7L);
    byte[] bytes = serializer.serialize(topic, record);
    assertEquals(v2, java.nio.ByteBuffer.wrap(bytes, 1, 4).getInt());

    AvroDeserializer<GenericRecord> deserializer = new AvroDeserializer<>();
    deserializer.configure(config, false);
    GenericRecord read = deserializer.deserialize(topic, bytes);
    assertEquals(7L, read.get("n"));
    assertEquals("ms", read.get("unit").toString(), "the default of the newer schema is filled in");
  }

  @Test
  void configErrorsSayWhatToSet() {
    var missing =
        assertThrows(
            org.apache.kafka.common.config.ConfigException.class,
            () -> RegistryConfig.from(Map.of()));
    assertTrue(missing.getMessage().contains("schema.registry.url"));
    assertThrows(
        org.apache.kafka.common.config.ConfigException.class,
        () -> RegistryConfig.from(Map.of(RegistryConfig.URL, "ftp://x")));
  }

  @Test
  void credentialsAreReadFromConfluentKeysAndNeverPrinted() {
    RegistryConfig userInfo =
        RegistryConfig.from(
            Map.of(
                RegistryConfig.URL, "http://r:8081",
                RegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                RegistryConfig.BASIC_AUTH_USER_INFO, "alice:s3cret"));
    assertEquals("alice:s3cret", userInfo.basicAuthUserInfo().orElseThrow());
    assertFalse(userInfo.toString().contains("s3cret"));

    RegistryConfig fromUrl =
        RegistryConfig.from(
            Map.of(
                RegistryConfig.URL, "http://bob:pw@r:8081/apis/ccompat/v7/",
                RegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "URL"));
    assertEquals("bob:pw", fromUrl.basicAuthUserInfo().orElseThrow());
    assertEquals("http://r:8081/apis/ccompat/v7", fromUrl.urls().get(0).toString());
    assertFalse(fromUrl.toString().contains("pw"));
  }
}
