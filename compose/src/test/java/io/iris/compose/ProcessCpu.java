package io.iris.compose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU time as the kernel counts it: of a process with the processes it started, of the whole
 * machine (to see what else ran meanwhile), and per thread of a JVM (from {@code jcmd
 * Thread.print}), to tell which process and which thread a throughput is bound by.
 */
final class ProcessCpu {
  /** A thread of a JVM and the CPU it has used since it started. */
  record ThreadCpu(String name, Duration cpu) {}

  /** A line of {@code jcmd Thread.print}: {@code "name" #12 ... cpu=123.45ms elapsed=...}. */
  private static final Pattern THREAD = Pattern.compile("^\"(.*)\".*?\\bcpu=([0-9.]+)ms");

  /** Kafka Streams puts its application's random id into its threads' names. */
  private static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  /** Linux's USER_HZ: /proc/stat counts in hundredths of a second. */
  private static final long TICK_MILLIS = 10;

  private ProcessCpu() {}

  /** CPU used so far by {@code pid} and every process below it; zero once it has gone. */
  static Duration ofTree(long pid) {
    return ProcessHandle.of(pid)
        .map(
            root -> {
              Duration total = cpu(root);
              for (ProcessHandle child : root.descendants().toList()) {
                total = total.plus(cpu(child));
              }
              return total;
            })
        .orElse(Duration.ZERO);
  }

  /** CPU used so far by this JVM. */
  static Duration ofThisJvm() {
    return cpu(ProcessHandle.current());
  }

  private static Duration cpu(ProcessHandle process) {
    return process.info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /**
   * CPU time every core of this machine has been busy since boot, all cores together; empty where
   * there is no {@code /proc/stat}.
   */
  static Optional<Duration> machineBusy() {
    Path stat = Path.of("/proc/stat");
    if (!Files.isReadable(stat)) {
      return Optional.empty();
    }
    try {
      // cpu  user nice system idle iowait irq softirq steal ...
      String[] fields = Files.readAllLines(stat).getFirst().trim().split("\\s+");
      long busy = 0;
      for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
        busy += Long.parseLong(fields[i]);
      }
      return Optional.of(Duration.ofMillis(busy * TICK_MILLIS));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The CPU each thread of the JVM {@code pid} has used since it started, by thread name (random
   * ids in names replaced by {@code *}, threads of one name summed); empty if {@code jcmd} cannot
   * tell.
   */
  static Map<String, Duration> threads(long pid) {
    Optional<String> java = ProcessHandle.current().info().command();
    if (java.isEmpty()) {
      return Map.of();
    }
    Path jcmd = Path.of(java.get()).resolveSibling("jcmd");
    Map<String, Duration> threads = new HashMap<>();
    try {
      Process process =
          new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print")
              .redirectErrorStream(true)
              .start();
      List<String> lines;
      try (var output = process.inputReader()) {
        lines = output.lines().toList();
      }
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return Map.of();
      }
      for (String line : lines) {
        Matcher m = THREAD.matcher(line);
        if (m.find()) {
          threads.merge(
              UUID.matcher(m.group(1)).replaceAll("*"),
              Duration.ofNanos(Math.round(Double.parseDouble(m.group(2)) * 1e6)),
              Duration::plus);
        }
      }
    } catch (IOException e) {
      return Map.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of();
    }
    return threads;
  }

  /** The {@code limit} threads that used the most CPU between {@code before} and {@code after}. */
  static List<ThreadCpu> busiest(
      Map<String, Duration> before, Map<String, Duration> after, int limit) {
    List<ThreadCpu> threads = new ArrayList<>();
    after.forEach(
        (name, cpu) ->
            threads.add(new ThreadCpu(name, cpu.minus(before.getOrDefault(name, Duration.ZERO)))));
    threads.sort(Comparator.comparing(ThreadCpu::cpu).reversed());
    return threads.subList(0, Math.min(limit, threads.size()));
  }
}
