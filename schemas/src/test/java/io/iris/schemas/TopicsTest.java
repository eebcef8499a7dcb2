package io.iris.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class TopicsTest {

  @Test
  void everyTopicIsDeclaredOnceWithItsDeadLetterTopic() {
    List<String> names = Topics.all().stream().map(Topic::name).toList();
    assertEquals(11, names.size());
    assertEquals(names.size(), new HashSet<>(names).size(), "duplicate topic names: " + names);
    for (Topic<?> topic : Topics.main()) {
      assertTrue(names.contains(topic.name() + ".dlq"), topic + " has no dead-letter topic");
      assertEquals(topic.name() + "-value", topic.valueSubject());
    }
    assertEquals(Topics.FEATURES, Topics.byName("features").orElseThrow());
    assertTrue(Topics.byName("nope").isEmpty());
  }

  @Test
  void plansAndFeaturesAreCompactedAndEverythingIsCompressed() {
    assertEquals("compact", Topics.AWR_PLANS.configs().get("cleanup.policy"));
    assertEquals("compact", Topics.FEATURES.configs().get("cleanup.policy"));
    assertFalse(Topics.AWR_SNAPSHOTS.configs().containsKey("cleanup.policy"));
    Topics.all().forEach(t -> assertEquals("zstd", t.configs().get("compression.type"), t.name()));
    assertEquals(
        Integer.toString(Topics.MAX_MESSAGE_BYTES),
        Topics.AWR_SNAPSHOTS.configs().get("max.message.bytes"));
    assertEquals(
        Integer.toString(Topics.MAX_MESSAGE_BYTES),
        Topics.deadLetter(Topics.AWR_SNAPSHOTS).configs().get("max.message.bytes"));
  }

  @Test
  void onlyTopicsWithRawSqlTextAreRestricted() {
    assertTrue(Topics.AWR_SNAPSHOTS.restricted());
    assertTrue(Topics.AWR_PLANS.restricted());
    assertTrue(Topics.deadLetter(Topics.AWR_SNAPSHOTS).restricted());
    assertFalse(Topics.SQL_TEMPLATES.restricted());
    assertFalse(Topics.FEATURES.restricted());
  }

  /** Other teams read the schemas as documentation: every field says what it is. */
  @Test
  void everyFieldOfEverySchemaHasADocAndNullableFieldsDefaultToNull() {
    List<String> problems = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Topic<?> topic : Topics.all()) {
      collect(topic.valueSchema(), problems, seen);
    }
    assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
  }

  private static void collect(Schema schema, List<String> problems, Set<String> seen) {
    switch (schema.getType()) {
      case RECORD -> {
        if (!seen.add(schema.getFullName())) {
          return;
        }
        if (schema.getDoc() == null || schema.getDoc().isBlank()) {
          problems.add(schema.getFullName() + " has no doc");
        }
        for (Schema.Field field : schema.getFields()) {
          String where = schema.getName() + "." + field.name();
          if (field.doc() == null || field.doc().isBlank()) {
            problems.add(where + " has no doc");
          }
          if (field.schema().isNullable()
              && (!field.hasDefaultValue()
                  || field.defaultVal() != org.apache.avro.JsonProperties.NULL_VALUE)) {
            problems.add(where + " is nullable but does not default to null");
          }
          collect(field.schema(), problems, seen);
        }
      }
      case UNION -> schema.getTypes().forEach(t -> collect(t, problems, seen));
      case ARRAY -> collect(schema.getElementType(), problems, seen);
      default -> {}
    }
  }
}
