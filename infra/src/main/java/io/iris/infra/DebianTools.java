package io.iris.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Command-line tools the tests need from Debian's packages (promtool, prometheus, docker-compose),
 * downloaded with {@code apt-get download} and unpacked with {@code dpkg-deb -x} under {@code
 * ~/.cache/iris/debian/}, never installed: nothing on the machine changes, and a clean clone gets
 * them by running the tests. Needs a Debian-like machine that reaches Debian's archive.
 */
public final class DebianTools {
  private static final Path CACHE =
      Path.of(System.getProperty("user.home"), ".cache", "iris", "debian");

  private DebianTools() {}

  /** A tool with the command that runs it and the environment it needs. */
  public record Tool(List<String> command, Map<String, String> env) {
    /** Runs the tool with {@code args} in {@code dir}; output and error merged. */
    public ProcessResult run(Path dir, String... args) throws IOException, InterruptedException {
      List<String> full = new ArrayList<>(command);
      full.addAll(List.of(args));
      ProcessBuilder builder =
          new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true);
      builder.environment().putAll(env);
      Process process = builder.start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IOException(full + " did not finish in 5 minutes");
      }
      return new ProcessResult(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
  }

  /** What a tool printed, and its exit code. */
  public record ProcessResult(int exitCode, String output) {}

  /** Prometheus's promtool (package {@code prometheus}). */
  public static Tool promtool() throws IOException, InterruptedException {
    return new Tool(
        List.of(
            unpacked("prometheus", List.of("prometheus")).resolve("usr/bin/promtool").toString()),
        Map.of());
  }

  /** The Prometheus server (package {@code prometheus}). */
  public static Tool prometheus() throws IOException, InterruptedException {
    return new Tool(
        List.of(
            unpacked("prometheus", List.of("prometheus")).resolve("usr/bin/prometheus").toString()),
        Map.of());
  }

  /**
   * docker-compose 1.29 (package {@code docker-compose}): Python, run by the machine's {@code
   * /usr/bin/python3} with its Python dependencies unpacked beside it.
   */
  public static Tool dockerCompose() throws IOException, InterruptedException {
    List<String> packages = new ArrayList<>();
    for (String line :
        capture(
                List.of(
                    "apt-cache",
                    "depends",
                    "--recurse",
                    "--no-recommends",
                    "--no-suggests",
                    "--no-conflicts",
                    "--no-breaks",
                    "--no-replaces",
                    "--no-enhances",
                    "docker-compose"),
                CACHE)
            .split("\n")) {
      if (line.equals("docker-compose") || line.startsWith("python3-")) {
        if (!packages.contains(line)) {
          packages.add(line);
        }
      }
    }
    Path root = unpacked("docker-compose", packages);
    return new Tool(
        List.of("/usr/bin/python3", root.resolve("usr/bin/docker-compose").toString()),
        Map.of("PYTHONPATH", root.resolve("usr/lib/python3/dist-packages").toString()));
  }

  /** {@code packages} unpacked into one directory named {@code name}, downloaded once. */
  static synchronized Path unpacked(String name, List<String> packages)
      throws IOException, InterruptedException {
    Path root = CACHE.resolve(name);
    Path done = root.resolve(".unpacked");
    if (Files.exists(done)) {
      return root;
    }
    Path downloads = Files.createDirectories(CACHE.resolve("downloads"));
    List<String> download = new ArrayList<>(List.of("apt-get", "download"));
    download.addAll(packages);
    capture(download, downloads);
    Files.createDirectories(root);
    try (var debs = Files.list(downloads)) {
      for (Path deb : debs.filter(p -> p.toString().endsWith(".deb")).toList()) {
        String file = deb.getFileName().toString();
        if (packages.stream().anyMatch(p -> file.startsWith(p + "_"))) {
          capture(List.of("dpkg-deb", "-x", deb.toString(), root.toString()), downloads);
        }
      }
    }
    Files.writeString(done, String.join("\n", packages));
    return root;
  }

  private static String capture(List<String> command, Path dir)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IOException(
          String.join(" ", command)
              + " failed (Debian's apt-get and dpkg-deb, and access to Debian's archive, are"
              + " needed to fetch the tools the tests use): "
              + new String(output, StandardCharsets.UTF_8));
    }
    return new String(output, StandardCharsets.UTF_8);
  }
}
