package io.iris.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackfillProgressTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void rateAndEtaCountFromWhenWatchingBegan() {
    BackfillProgress progress = new BackfillProgress(T0, 4);
    Instant now = T0.plusSeconds(20);
    assertEquals(1.5, progress.rate(34, now).orElseThrow(), 1e-9);
    assertEquals(Optional.of(Duration.ofSeconds(25).plusMillis(333)), progress.eta(34, 72, now));
    assertEquals("34/72 snapshots 1.5/s ETA 26 s", progress.line(34, 72, now));
  }

  @Test
  void withoutProgressThereIsNoRateAndNoEta() {
    BackfillProgress progress = new BackfillProgress(T0, 10);
    assertTrue(progress.rate(10, T0.plusSeconds(5)).isEmpty(), "nothing done since watching");
    assertTrue(progress.rate(12, T0).isEmpty(), "no time passed");
    assertEquals(Optional.empty(), progress.eta(10, 72, T0.plusSeconds(5)));
    assertEquals("10/72 snapshots", progress.line(10, 72, T0.plusSeconds(5)));
  }

  @Test
  void fastRatesHaveNoDecimalsAndTheEtaRoundsUp() {
    BackfillProgress progress = new BackfillProgress(T0, 0);
    assertEquals("250/251 snapshots 25/s ETA 1 s", progress.line(250, 251, T0.plusSeconds(10)));
  }

  @Test
  void moreDoneThanCountedShowsTheDoneAsTotal() {
    // New snapshots arrived during the pass: the total grows with what was done.
    BackfillProgress progress = new BackfillProgress(T0, 0);
    assertEquals("75/75 snapshots 7.5/s ETA 0 s", progress.line(75, 72, T0.plusSeconds(10)));
  }

  @Test
  void aFinishedBackfillSaysHowManyInHowLong() {
    BackfillProgress progress = new BackfillProgress(T0, 0);
    assertEquals(
        "72 snapshots in 48 s, 1.5/s", progress.finished(72, T0.plusSeconds(48).plusMillis(200)));
    assertEquals("1 snapshot in 0 s", progress.finished(1, T0));
  }
}
