package io.iris.compressor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.platform.ConfigurationException;
import io.iris.platform.IrisConfig;
import io.iris.schemas.avro.CostMetric;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompressorSettingsTest {
  @Test
  void defaultsAndErrors() {
    CompressorSettings s = CompressorSettings.from(new IrisConfig(Map.of()));
    assertEquals(100, s.k());
    assertEquals(CostMetric.ELAPSED, s.metric());
    assertEquals(Duration.ofHours(24), s.horizon());
    assertEquals(
        0.95,
        CompressorSettings.from(new IrisConfig(Map.of("IRIS_COMPRESSOR_TARGET_COVERAGE", "0.95")))
            .targetCoverage());
    assertEquals(
        CostMetric.BUFFER_GETS,
        CompressorSettings.from(
                new IrisConfig(Map.of("IRIS_COMPRESSOR_COST_METRIC", "buffer_gets")))
            .metric());
    assertTrue(
        assertThrows(
                ConfigurationException.class,
                () ->
                    CompressorSettings.from(
                        new IrisConfig(Map.of("IRIS_COMPRESSOR_TARGET_COVERAGE", "1.5"))))
            .getMessage()
            .contains("at most 1"));
    assertTrue(
        assertThrows(
                ConfigurationException.class,
                () ->
                    CompressorSettings.from(
                        new IrisConfig(Map.of("IRIS_COMPRESSOR_COST_METRIC", "IO"))))
            .getMessage()
            .contains("ELAPSED, CPU or BUFFER_GETS"));
  }
}
