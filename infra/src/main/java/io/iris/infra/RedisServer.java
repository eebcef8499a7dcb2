package io.iris.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Redis the online feature store uses: one that already runs, or one IRIS starts from the
 * machine's {@code redis-server}, or from the real binary shipped in the {@code
 * com.github.codemonstur:embedded-redis} jar when the machine has none.
 */
public final class RedisServer {
  static final String MARKER = "redis-server";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final RedisUrl url;
  private final Optional<LocalProcess> process;

  private RedisServer(RedisUrl url, Optional<LocalProcess> process) {
    this.url = url;
    this.process = process;
  }

  /** A Redis IRIS did not start and will not stop; it must answer now. */
  public static RedisServer external(RedisUrl url) {
    String problem = ping(url);
    if (problem != null) {
      throw new InfraException(
          "no usable Redis at "
              + url
              + ": "
              + problem
              + ". Start it, fix IRIS_REDIS_URL, or unset IRIS_REDIS_URL to let IRIS start one.");
    }
    return new RedisServer(url, Optional.empty());
  }

  /** Starts a Redis that keeps nothing on disk, on 127.0.0.1:{@code port}. */
  public static RedisServer start(Path home, Path logs, int port, ProcessMode mode)
      throws IOException {
    return start(home, logs, port, mode, false);
  }

  /**
   * Starts a Redis on 127.0.0.1:{@code port}; with {@code durable} it logs every write to an
   * append-only file under {@code home} before answering (appendfsync always), so a restart on the
   * same {@code home} finds every write again, as a production Redis with AOF does.
   */
  public static RedisServer start(Path home, Path logs, int port, ProcessMode mode, boolean durable)
      throws IOException {
    return start(home, logs, port, mode, durable, Optional.empty());
  }

  /**
   * A Redis as {@link #start(Path, Path, int, ProcessMode, boolean)} starts one that, with a {@code
   * password}, answers only clients that log in with it (AUTH). The password goes to a {@code
   * redis.conf} readable by its owner only, never on the command line, where {@code ps} shows it.
   */
  public static RedisServer start(
      Path home, Path logs, int port, ProcessMode mode, boolean durable, Optional<String> password)
      throws IOException {
    Optional<Path> installed = Executables.find(MARKER);
    Path binary = installed.isPresent() ? installed.get() : embeddedBinary(home);
    return start(home, logs, port, mode, binary, durable, password);
  }

  static RedisServer start(
      Path home, Path logs, int port, ProcessMode mode, Path binary, boolean durable)
      throws IOException {
    return start(home, logs, port, mode, binary, durable, Optional.empty());
  }

  private static RedisServer start(
      Path home,
      Path logs,
      int port,
      ProcessMode mode,
      Path binary,
      boolean durable,
      Optional<String> password)
      throws IOException {
    Files.createDirectories(home);
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    if (password.isPresent()) {
      // A configuration file comes first; the options after it add to it.
      Path config = home.resolve("redis.conf");
      PrivateFiles.write(config, "requirepass " + quoted(password.get()) + "\n");
      command.add(config.toAbsolutePath().toString());
    }
    command.addAll(
        List.of(
            "--port",
            Integer.toString(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            durable ? "yes" : "no",
            "--appendfsync",
            "always",
            "--dir",
            home.toAbsolutePath().toString()));
    if (mode == ProcessMode.CHILD) {
      command = JavaCommand.guarded(command);
    }
    LocalProcess process =
        LocalProcess.start(
            "redis",
            command,
            mode,
            logs.resolve("redis.log"),
            mode == ProcessMode.DAEMON ? home.resolve("redis.pid") : null);
    RedisUrl url = password.map(RedisUrl.local(port)::withPassword).orElse(RedisUrl.local(port));
    try {
      Readiness.await(
          "Redis at " + url,
          process,
          START_TIMEOUT,
          () -> {
            String problem = ping(url);
            if (problem != null) {
              throw new IOException(problem);
            }
          });
    } catch (RuntimeException e) {
      process.stop(Duration.ofSeconds(5));
      throw e;
    }
    return new RedisServer(url, Optional.of(process));
  }

  /** A value as redis.conf reads it: in double quotes, backslashes and quotes escaped. */
  private static String quoted(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  /** The Redis a previous {@code ./iris up} started under {@code home}, if it still runs. */
  public static Optional<LocalProcess> running(Path home, Path logs) {
    return LocalProcess.fromPidFile(
        "redis", home.resolve("redis.pid"), logs.resolve("redis.log"), MARKER);
  }

  /**
   * Sends PING (after AUTH when the URL has a password); null when Redis answers PONG, else what
   * went wrong.
   */
  public static String ping(RedisUrl url) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(url.host(), url.port()), 1000);
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      if (url.password().isPresent()) {
        List<String> auth =
            url.user().isPresent()
                ? List.of("AUTH", url.user().get(), url.password().get())
                : List.of("AUTH", url.password().get());
        out.write(command(auth));
        String reply = readLine(in);
        if (!reply.startsWith("+OK")) {
          return "authentication failed (" + reply + ")";
        }
      }
      out.write(command(List.of("PING")));
      String reply = readLine(in);
      return reply.startsWith("+PONG") ? null : "unexpected reply to PING: " + reply;
    } catch (IOException e) {
      return "cannot connect (" + e.getMessage() + ")";
    }
  }

  private static byte[] command(List<String> args) {
    StringBuilder sb = new StringBuilder("*").append(args.size()).append("\r\n");
    for (String arg : args) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      sb.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }

  /** The redis-server shipped in the embedded-redis jar, unpacked once under {@code home}. */
  static Path embeddedBinary(Path home) throws IOException {
    String resource = embeddedBinaryName();
    Path target = home.resolve("bin").resolve(MARKER);
    if (!Files.isExecutable(target)) {
      Files.createDirectories(target.getParent());
      try (InputStream in = RedisServer.class.getResourceAsStream("/" + resource)) {
        if (in == null) {
          throw new InfraException(
              "no redis-server on this machine and no "
                  + resource
                  + " in the classpath: install Redis (apt-get install redis-server) or set"
                  + " IRIS_REDIS_URL");
        }
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      }
      if (!target.toFile().setExecutable(true)) {
        throw new InfraException("cannot make " + target + " executable");
      }
    }
    return target;
  }

  private static String embeddedBinaryName() {
    String arch = System.getProperty("os.arch");
    return switch (arch) {
      case "amd64", "x86_64" -> "redis-server-6.2.6-v5-linux-amd64";
      case "aarch64", "arm64" -> "redis-server-6.2.7-linux-arm64";
      default ->
          throw new InfraException(
              "no embedded Redis binary for "
                  + arch
                  + ": install redis-server or set IRIS_REDIS_URL");
    };
  }

  public RedisUrl url() {
    return url;
  }

  /** Whether IRIS started this Redis (and so stops it). */
  public boolean isOwned() {
    return process.isPresent();
  }

  public Optional<LocalProcess> process() {
    return process;
  }

  public void stop() {
    process.ifPresent(p -> p.stop(Duration.ofSeconds(10)));
  }
}
