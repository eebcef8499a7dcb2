package io.iris.compose;

import io.iris.platform.KafkaSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * How {@link CatchUp} looks at the running pipeline: the collector's {@code /metrics} for the
 * backfill, the broker's consumer-group offsets for what the other services have yet to process.
 */
final class PipelineProbe implements CatchUp.Probe {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Optional<URI> collectorMetrics;
  private final Set<String> groups;
  private final KafkaSettings kafka;

  /**
   * @param collector the collector's address, when it runs
   * @param groups the consumer groups of the services that run
   */
  PipelineProbe(Optional<String> collector, Set<String> groups, KafkaSettings kafka) {
    this.collectorMetrics = collector.map(url -> URI.create(url + "/metrics"));
    this.groups = Set.copyOf(groups);
    this.kafka = kafka;
  }

  @Override
  public Optional<CatchUp.Backfill> backfill() {
    if (collectorMetrics.isEmpty()) {
      return Optional.empty();
    }
    try {
      HttpResponse<String> page =
          http.send(
              HttpRequest.newBuilder(collectorMetrics.get()).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      return page.statusCode() == 200
          ? CatchUp.Backfill.of(MetricsPage.parse(page.body()))
          : Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (Exception e) {
      // Not answering yet, or a page that is not Prometheus text: not known now.
      return Optional.empty();
    }
  }

  @Override
  public OptionalLong toProcess() {
    Map<String, Object> admin = kafka.admin();
    admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
    admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
    try {
      List<ConsumerLag.Row> rows =
          ConsumerLag.of(admin, kafka.consumer("iris-up"), groups::contains, Instant.now());
      Set<String> committed = new HashSet<>();
      long waiting = 0;
      for (ConsumerLag.Row row : rows) {
        committed.add(row.group());
        waiting += row.recordsWaiting();
      }
      return committed.containsAll(groups) ? OptionalLong.of(waiting) : OptionalLong.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalLong.empty();
    } catch (Exception e) {
      return OptionalLong.empty();
    }
  }
}
