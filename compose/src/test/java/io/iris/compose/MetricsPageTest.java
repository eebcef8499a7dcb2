package io.iris.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsPageTest {

  @Test
  void readsNamesLabelsAndValuesAndSkipsComments() {
    MetricsPage page =
        MetricsPage.parse(
            """
            # HELP iris_collector_backlog_snapshots Snapshots to collect
            # TYPE iris_collector_backlog_snapshots gauge
            iris_collector_backlog_snapshots{service="collector",source="sim"} 38.0
            iris_collector_backlog_snapshots{service="collector",source="crm",} NaN

            iris_collector_errors_total{kind="database",source="crm"} 2 1700000000000
            iris_collector_errors_total{kind="access",source="crm"} 1.0
            iris_collector_errors_total{kind="database",source="sim"} 0.0
            up 1
            odd_label{text="a \\"quoted\\" \\\\ back,slash}\\nnew line"} +Inf
            """);
    List<MetricsPage.Sample> backlog = page.samples("iris_collector_backlog_snapshots");
    assertEquals(2, backlog.size());
    assertEquals(Map.of("service", "collector", "source", "sim"), backlog.get(0).labels());
    assertEquals(38.0, backlog.get(0).value());
    assertTrue(Double.isNaN(backlog.get(1).value()));
    assertEquals(
        Map.of("crm", 3.0, "sim", 0.0),
        page.byLabel("iris_collector_errors_total", "source"),
        "summed over the kinds");
    assertEquals(Map.of(), page.samples("up").get(0).labels());
    MetricsPage.Sample odd = page.samples("odd_label").get(0);
    assertEquals("a \"quoted\" \\ back,slash}\nnew line", odd.labels().get("text"));
    assertEquals(Double.POSITIVE_INFINITY, odd.value());
    assertEquals(List.of(), page.samples("absent"));
  }

  @Test
  void readsWhatMicrometerWrites() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("service", "collector");
    Counter.builder("iris.collector.snapshots")
        .tag("source", "sim")
        .register(registry)
        .increment(34);
    Gauge.builder("iris.collector.backlog", () -> 38)
        .tag("source", "sim")
        .baseUnit("snapshots")
        .register(registry);
    MetricsPage page = MetricsPage.parse(registry.scrape());
    assertEquals(Map.of("sim", 34.0), page.byLabel("iris_collector_snapshots_total", "source"));
    assertEquals(Map.of("sim", 38.0), page.byLabel("iris_collector_backlog_snapshots", "source"));
  }

  @Test
  void aLineThatIsNotASampleIsNamed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MetricsPage.parse("good 1\nbad{source=\"sim\" 2\n"));
    assertTrue(e.getMessage().startsWith("line 2 is not a Prometheus sample"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> MetricsPage.parse("name one"));
    assertThrows(IllegalArgumentException.class, () -> MetricsPage.parse("{a=\"b\"} 1"));
  }
}
