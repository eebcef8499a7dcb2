package io.iris.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster for tests: initialised in a directory of its own, listening on
 * 127.0.0.1 only (no Unix socket), with logical decoding on ({@code wal_level=logical}) so change
 * data capture (Debezium's PostgreSQL connector) can read it. Superuser {@code postgres}, trust
 * authentication, database {@code postgres}. The machine's own PostgreSQL is neither used nor
 * touched.
 *
 * <p>PostgreSQL refuses to run as root; when this JVM is root, the cluster runs as the {@code
 * postgres} account (via {@code setpriv}) and its directory is handed to that account.
 */
public final class PostgresServer implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final String ACCOUNT = "postgres";

  private final Path bin;
  private final Path data;
  private final List<String> runAs;
  private final LocalProcess process;
  private final int port;

  private PostgresServer(Path bin, Path data, List<String> runAs, LocalProcess process, int port) {
    this.bin = bin;
    this.data = data;
    this.runAs = runAs;
    this.process = process;
    this.port = port;
  }

  /**
   * Initialises a cluster under {@code home/data} (first use only), starts it on 127.0.0.1:{@code
   * port} as a child of this JVM (logging to {@code logs/postgres.log}) and waits until it accepts
   * connections.
   */
  public static PostgresServer start(Path home, Path logs, int port) throws IOException {
    Path bin = binaries();
    Files.createDirectories(home);
    Files.createDirectories(logs);
    List<String> runAs = runAs(home);
    Path data = home.resolve("data").toAbsolutePath();
    Path log = logs.resolve("postgres.log");
    if (!Files.exists(data.resolve("PG_VERSION"))) {
      List<String> initdb = new ArrayList<>(runAs);
      initdb.addAll(
          List.of(
              bin.resolve("initdb").toString(),
              "--pgdata=" + data,
              "--username=" + ACCOUNT,
              "--auth=trust",
              "--encoding=UTF8",
              "--no-instructions"));
      run(initdb, log, "initialising the PostgreSQL cluster");
    }
    List<String> postgres = new ArrayList<>(runAs);
    postgres.addAll(
        List.of(
            bin.resolve("postgres").toString(),
            "-D",
            data.toString(),
            "-p",
            Integer.toString(port),
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            "unix_socket_directories=",
            "-c",
            "wal_level=logical",
            "-c",
            "max_replication_slots=10",
            "-c",
            "max_wal_senders=10",
            // A test cluster: durability is not what it is for.
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off",
            "-c",
            "shared_buffers=32MB"));
    LocalProcess process =
        LocalProcess.start("postgres", JavaCommand.guarded(postgres), ProcessMode.CHILD, log, null);
    PostgresServer server = new PostgresServer(bin, data, runAs, process, port);
    try {
      Readiness.await(
          "PostgreSQL on 127.0.0.1:" + port,
          process,
          START_TIMEOUT,
          () -> {
            String answer = server.sql("SELECT 1");
            if (!answer.equals("1")) {
              throw new IOException("not ready: " + answer);
            }
          });
    } catch (RuntimeException e) {
      server.stop();
      throw e;
    }
    return server;
  }

  /** The newest PostgreSQL server binaries installed from Debian's packages. */
  static Path binaries() {
    Path root = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(root)) {
      try (Stream<Path> versions = Files.list(root)) {
        Optional<Path> newest =
            versions
                .map(v -> v.resolve("bin"))
                .filter(b -> Files.isExecutable(b.resolve("initdb")))
                .max(Comparator.comparing(PostgresServer::major));
        if (newest.isPresent()) {
          return newest.get();
        }
      } catch (IOException e) {
        throw new InfraException("cannot list " + root, e);
      }
    }
    throw new InfraException(
        "no PostgreSQL server binaries (initdb) under /usr/lib/postgresql/<version>/bin:"
            + " apt-get install postgresql");
  }

  private static int major(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * The command prefix that runs PostgreSQL's programs as a non-root account: nothing when this JVM
   * is not root; else {@code setpriv} to {@code postgres}, who is given {@code home}.
   */
  private static List<String> runAs(Path home) throws IOException {
    if (!"root".equals(System.getProperty("user.name"))) {
      return List.of();
    }
    UserPrincipalLookupService lookup = home.getFileSystem().getUserPrincipalLookupService();
    UserPrincipal user;
    GroupPrincipal group;
    try {
      user = lookup.lookupPrincipalByName(ACCOUNT);
      group = lookup.lookupPrincipalByGroupName(ACCOUNT);
    } catch (UserPrincipalNotFoundException e) {
      throw new InfraException(
          "PostgreSQL does not run as root and this machine has no '"
              + ACCOUNT
              + "' account to run it as: run the tests as another user, or create the account"
              + " (apt-get install postgresql does)",
          e);
    }
    try (Stream<Path> files = Files.walk(home)) {
      for (Path file : files.toList()) {
        Files.setOwner(file, user);
        Files.getFileAttributeView(file, java.nio.file.attribute.PosixFileAttributeView.class)
            .setGroup(group);
      }
    }
    Path setpriv =
        Executables.find("setpriv")
            .orElseThrow(
                () ->
                    new InfraException(
                        "running PostgreSQL as '" + ACCOUNT + "' needs setpriv (util-linux)"));
    return List.of(
        setpriv.toString(), "--reuid=" + ACCOUNT, "--regid=" + ACCOUNT, "--init-groups", "--");
  }

  /** Runs one statement with {@code psql} as {@code postgres}; returns its unaligned output. */
  public String sql(String statement) throws IOException {
    List<String> command = new ArrayList<>(runAs);
    command.addAll(
        List.of(
            bin.resolve("psql").toString(),
            "-h",
            "127.0.0.1",
            "-p",
            Integer.toString(port),
            "-U",
            ACCOUNT,
            "-d",
            "postgres",
            "-X",
            "-A",
            "-t",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            statement));
    Process psql = postgresTool(command).redirectErrorStream(true).start();
    String output = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!psql.waitFor(30, TimeUnit.SECONDS)) {
        psql.destroyForcibly();
        throw new IOException("psql did not finish in 30 s: " + statement);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running psql", e);
    }
    if (psql.exitValue() != 0) {
      throw new IOException("psql failed (" + psql.exitValue() + "): " + output.strip());
    }
    return output.strip();
  }

  /**
   * A PostgreSQL program, started in {@code /}: run as {@code postgres}, it cannot enter a working
   * directory private to this user (a clone under a 0700 temporary directory), and psql then prints
   * a warning where its answer should be.
   */
  private static ProcessBuilder postgresTool(List<String> command) {
    return new ProcessBuilder(command).directory(new java.io.File("/"));
  }

  private static void run(List<String> command, Path log, String what) throws IOException {
    Process process =
        postgresTool(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    try {
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new InfraException(
            what + " failed; the last lines of " + log + ":\n" + LocalProcess.tail(log, 20));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InfraException("interrupted while " + what, e);
    }
  }

  public int port() {
    return port;
  }

  /** The JDBC URL of database {@code postgres}. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  public String user() {
    return ACCOUNT;
  }

  public LocalProcess process() {
    return process;
  }

  /**
   * Stops the cluster with a fast shutdown (open sessions and replication connections are ended;
   * SIGTERM alone would wait for them), then its process.
   */
  public void stop() {
    if (process.isAlive()) {
      List<String> stop = new ArrayList<>(runAs);
      stop.addAll(
          List.of(
              bin.resolve("pg_ctl").toString(),
              "stop",
              "-D",
              data.toString(),
              "-m",
              "fast",
              "-w",
              "-t",
              "30"));
      try {
        run(stop, process.logFile(), "stopping PostgreSQL");
      } catch (IOException | InfraException e) {
        // The process is killed below all the same.
      }
    }
    process.stop(Duration.ofSeconds(10));
  }

  @Override
  public void close() {
    stop();
  }
}
