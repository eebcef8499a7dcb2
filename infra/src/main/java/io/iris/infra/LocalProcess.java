package io.iris.infra;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A process IRIS started on this machine. Its pid file is how a later {@code ./iris} finds it, its
 * log file is where it writes everything it prints.
 */
public final class LocalProcess {
  private final String name;
  private final ProcessHandle handle;
  private final Path logFile;
  private final Path pidFile;

  private LocalProcess(String name, ProcessHandle handle, Path logFile, Path pidFile) {
    this.name = name;
    this.handle = handle;
    this.logFile = logFile;
    this.pidFile = pidFile;
  }

  /**
   * Starts {@code command}, appending its output to {@code logFile}; writes {@code pidFile} when it
   * is not null.
   */
  public static LocalProcess start(
      String name, List<String> command, ProcessMode mode, Path logFile, Path pidFile)
      throws IOException {
    return start(name, command, java.util.Map.of(), mode, logFile, pidFile);
  }

  /** As {@link #start(String, List, ProcessMode, Path, Path)}, with {@code env} added. */
  public static LocalProcess start(
      String name,
      List<String> command,
      java.util.Map<String, String> env,
      ProcessMode mode,
      Path logFile,
      Path pidFile)
      throws IOException {
    Files.createDirectories(logFile.toAbsolutePath().getParent());
    List<String> full = new ArrayList<>();
    if (mode == ProcessMode.DAEMON && Executables.find("setsid").isPresent()) {
      // A new session: the daemon does not get the terminal's SIGHUP. setsid execs in place, so
      // the pid we record is the daemon's own.
      full.add("setsid");
    }
    full.addAll(command);
    ProcessBuilder builder =
        new ProcessBuilder(full)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().putAll(env);
    Process process = builder.start();
    if (pidFile != null) {
      Files.createDirectories(pidFile.toAbsolutePath().getParent());
      Files.writeString(pidFile, Long.toString(process.pid()) + "\n");
    }
    return new LocalProcess(name, process.toHandle(), logFile, pidFile);
  }

  /**
   * The process a pid file names, if it is still running and its command line contains {@code
   * marker} (a pid can be reused by an unrelated process after a reboot).
   */
  public static Optional<LocalProcess> fromPidFile(
      String name, Path pidFile, Path logFile, String marker) {
    if (!Files.isRegularFile(pidFile)) {
      return Optional.empty();
    }
    long pid;
    try {
      pid = Long.parseLong(Files.readString(pidFile).trim());
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(h -> commandLine(h).map(c -> c.contains(marker)).orElse(true))
        .map(h -> new LocalProcess(name, h, logFile, pidFile));
  }

  /**
   * The command line as the kernel has it: the JDK's view can be cut short (a long classpath) or
   * miss the arguments (a binary that rewrites its process title, like redis-server).
   */
  private static Optional<String> commandLine(ProcessHandle handle) {
    Path proc = Path.of("/proc", Long.toString(handle.pid()), "cmdline");
    try {
      if (Files.isReadable(proc)) {
        return Optional.of(
            new String(Files.readAllBytes(proc), StandardCharsets.UTF_8).replace('\0', ' '));
      }
    } catch (IOException e) {
      // Fall back to what the JDK can tell.
    }
    return handle.info().commandLine();
  }

  public String name() {
    return name;
  }

  public long pid() {
    return handle.pid();
  }

  public boolean isAlive() {
    return handle.isAlive();
  }

  public Path logFile() {
    return logFile;
  }

  /** SIGTERM, then SIGKILL after {@code grace}; removes the pid file. */
  public void stop(Duration grace) {
    if (handle.isAlive()) {
      handle.destroy();
      try {
        handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        handle.destroyForcibly();
        handle.onExit().join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        handle.destroyForcibly();
      } catch (ExecutionException e) {
        handle.destroyForcibly();
      }
    }
    if (pidFile != null) {
      try {
        Files.deleteIfExists(pidFile);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The last {@code lines} lines of the log, for error messages. */
  public String logTail(int lines) {
    return tail(logFile, lines);
  }

  /** The last {@code lines} lines of {@code log}, or why they cannot be shown. */
  static String tail(Path log, int lines) {
    try {
      if (!Files.isRegularFile(log)) {
        return "(no log written)";
      }
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + pid() + ")";
  }
}
