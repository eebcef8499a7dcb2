package io.iris.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tools are fetched from Debian's archive and run without being installed. */
class DebianToolsTest {
  @Test
  void promtoolAndDockerComposeRunFromTheirUnpackedPackages(@TempDir Path dir) throws Exception {
    DebianTools.ProcessResult promtool = DebianTools.promtool().run(dir, "--version");
    assertEquals(0, promtool.exitCode(), promtool.output());
    assertTrue(promtool.output().startsWith("promtool, version 2."), promtool.output());

    Files.writeString(
        dir.resolve("docker-compose.yml"),
        "services:\n  cache:\n    image: redis:7\n    ports: [\"6379\"]\n");
    DebianTools.ProcessResult config = DebianTools.dockerCompose().run(dir, "config", "--quiet");
    assertEquals(0, config.exitCode(), config.output());
    Files.writeString(
        dir.resolve("docker-compose.yml"), "services:\n  cache:\n    imag: redis:7\n");
    DebianTools.ProcessResult invalid = DebianTools.dockerCompose().run(dir, "config", "--quiet");
    assertTrue(invalid.exitCode() != 0, "an unknown key is refused: " + invalid.output());
  }
}
