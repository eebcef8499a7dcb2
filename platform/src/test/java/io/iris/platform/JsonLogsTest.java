package io.iris.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonLogsTest {

  @Test
  void servicesLogOneJsonObjectPerLine() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(getClass().getResource("/logback.xml"));
      context.getLogger("io.iris.collector").info("collected snapshot {} of {}", 42, "db1");
      context.getLogger("org.apache.kafka.clients.Metadata").info("not shown: Kafka is at WARN");
    } finally {
      context.stop();
      System.setOut(original);
    }
    String[] lines = captured.toString(StandardCharsets.UTF_8).strip().split("\n");
    assertEquals(1, lines.length, captured.toString(StandardCharsets.UTF_8));
    JsonNode line = new ObjectMapper().readTree(lines[0]);
    assertEquals("INFO", line.path("level").asText(), lines[0]);
    assertEquals("io.iris.collector", line.path("loggerName").asText());
    assertEquals("collected snapshot 42 of db1", line.path("formattedMessage").asText());
  }
}
