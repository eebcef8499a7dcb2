package io.iris.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.iris.collector.CollectorSettings;
import io.iris.collector.Source;
import io.iris.compressor.CompressorSettings;
import io.iris.feature.FeatureSettings;
import io.iris.infra.DebianTools;
import io.iris.infra.Distributions;
import io.iris.platform.IrisConfig;
import io.iris.platform.Setting;
import io.iris.platform.Settings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code compose/docker-compose.yml}, its {@code .env.example}, the Dockerfiles and the Oracle init
 * scripts, as {@code docker compose up} would take them: the file as docker-compose 1.29 renders it
 * with the example settings, checked against what the services declare and read.
 */
class ComposeFileTest {
  private static final Path COMPOSE_DIR = Path.of("").toAbsolutePath();
  private static final Path REPO = COMPOSE_DIR.getParent();
  private static final Path COMPOSE_FILE = COMPOSE_DIR.resolve("docker-compose.yml");
  private static final Path ENV_EXAMPLE = COMPOSE_DIR.resolve(".env.example");
  private static final Path INIT_DIR = COMPOSE_DIR.resolve("oracle/init");

  /** The IRIS services in the compose file, by their Maven module. */
  private static final Map<String, String> IRIS_SERVICES =
      Map.of(
          "collector", "collector-service",
          "parser", "parser-service",
          "compressor", "compressor-service",
          "feature", "feature-service");

  /** What follows IRIS_COLLECTOR_SOURCE_<NAME>_ (CollectorSettings.source reads these). */
  private static final Set<String> SOURCE_SUFFIXES =
      Set.of("URL", "USER", "PASSWORD", "PASSWORD_FILE", "VIEW_PREFIX", "TIMEZONE");

  private static String rendered;
  private static Map<String, Object> config;
  private static Map<String, String> envExample;

  @BeforeAll
  static void render() throws Exception {
    envExample = readEnvFile(ENV_EXAMPLE);
    // Only what the tool itself needs: IRIS_* variables of the machine running the tests (CI
    // sets IRIS_REDIS_URL) would override the .env file and change what is rendered.
    DebianTools.Tool compose = DebianTools.dockerCompose();
    List<String> command = new ArrayList<>(List.of("env", "-i", "PATH=/usr/bin:/bin"));
    compose.env().forEach((name, value) -> command.add(name + "=" + value));
    command.addAll(compose.command());
    DebianTools.ProcessResult result =
        new DebianTools.Tool(command, Map.of())
            .run(COMPOSE_DIR, "--env-file", ENV_EXAMPLE.toString(), "config");
    rendered = result.output();
    assertEquals(0, result.exitCode(), "docker-compose config refused the file:\n" + rendered);
    @SuppressWarnings("unchecked")
    Map<String, Object> parsed = new ObjectMapper(new YAMLFactory()).readValue(rendered, Map.class);
    config = parsed;
  }

  @Test
  void everyLongRunningServiceHasAHealthCheckAndEveryOneShotJobRunsOnce() throws Exception {
    Set<String> oneShots = new TreeSet<>();
    services()
        .forEach(
            (name, service) ->
                dependsOn(service)
                    .forEach(
                        (dependency, condition) -> {
                          if (condition.equals("service_completed_successfully")) {
                            oneShots.add(dependency);
                          }
                        }));
    assertEquals(Set.of("setup"), oneShots);
    for (var entry : services().entrySet()) {
      String name = entry.getKey();
      Map<String, Object> service = entry.getValue();
      if (oneShots.contains(name)) {
        assertEquals("no", service.get("restart"), name + " must not be restarted once done");
        assertTrue(dockerfile(service).contains("HEALTHCHECK NONE"), name);
        continue;
      }
      boolean inCompose = map(service.get("healthcheck")).containsKey("test");
      boolean inImage =
          service.containsKey("build")
              && Pattern.compile("(?m)^HEALTHCHECK\\s+(?!NONE)")
                  .matcher(dockerfile(service))
                  .find();
      assertTrue(inCompose || inImage, name + " has no health check");
      assertFalse(String.valueOf(service.get("restart")).equals("no"), name + " is not restarted");
    }
  }

  @Test
  void servicesStartOnlyWhenWhatTheyNeedIsHealthyOrDone() {
    services()
        .forEach(
            (name, service) ->
                dependsOn(service)
                    .forEach(
                        (dependency, condition) -> {
                          assertTrue(
                              services().containsKey(dependency), name + " -> " + dependency);
                          assertTrue(
                              condition.equals("service_healthy")
                                  || condition.equals("service_completed_successfully"),
                              name + " waits for " + dependency + " only until " + condition);
                        }));
    Map<String, String> everyService =
        Map.of(
            "kafka", "service_healthy",
            "registry", "service_healthy",
            "setup", "service_completed_successfully");
    for (String name : IRIS_SERVICES.keySet()) {
      Map<String, String> dependencies = dependsOn(service(name));
      everyService.forEach(
          (dependency, condition) ->
              assertEquals(condition, dependencies.get(dependency), name + " -> " + dependency));
    }
    assertEquals("service_healthy", dependsOn(service("collector")).get("oracle"));
    assertEquals("service_healthy", dependsOn(service("feature")).get("redis"));
  }

  @Test
  void theIrisServicesReachKafkaTheRegistryAndRedisOnTheComposeNetwork() {
    for (String name : IRIS_SERVICES.keySet()) {
      Map<String, String> env = environment(service(name));
      assertEquals("kafka:9092", env.get("IRIS_KAFKA_BOOTSTRAP_SERVERS"), name);
      assertTrue(
          environment(service("kafka")).get("KAFKA_ADVERTISED_LISTENERS").contains("://kafka:9092"),
          "the broker advertises what the services bootstrap from");
      URI registry = URI.create(env.get("IRIS_SCHEMA_REGISTRY_URL"));
      assertEquals("registry", registry.getHost(), name);
      assertEquals(8080, registry.getPort(), name);
      assertEquals("/apis/ccompat/v7", registry.getPath(), name);
      assertEquals("0.0.0.0", env.get("IRIS_HTTP_HOST"), name);
    }
    URI redis = URI.create(environment(service("feature")).get("IRIS_REDIS_URL"));
    assertEquals("redis", redis.getHost());
    assertTrue(services().containsKey("redis"));
    // The setup job creates the topics on the same broker and registry the services use.
    Map<String, String> setup = environment(service("setup"));
    Map<String, String> collector = environment(service("collector"));
    assertEquals(
        collector.get("IRIS_KAFKA_BOOTSTRAP_SERVERS"), setup.get("IRIS_KAFKA_BOOTSTRAP_SERVERS"));
    assertEquals(collector.get("IRIS_SCHEMA_REGISTRY_URL"), setup.get("IRIS_SCHEMA_REGISTRY_URL"));
  }

  @Test
  void eachServiceAcceptsItsSettingsAndTheCollectorReadsTheOracleContainer() {
    CollectorSettings collector =
        CollectorSettings.from(new IrisConfig(environment(service("collector"))));
    assertEquals(1, collector.sources().size());
    Source oracle = collector.sources().getFirst();
    assertEquals("oracle", oracle.name());
    assertEquals("jdbc:oracle:thin:@//oracle:1521/FREEPDB1", oracle.jdbcUrl());
    assertEquals("IRIS", oracle.user().orElseThrow());
    assertTrue(oracle.password().isPresent());
    // The Oracle container creates the collector's account from the same two variables.
    Map<String, String> database = environment(service("oracle"));
    assertEquals(oracle.user().orElseThrow(), database.get("IRIS_COLLECTOR_SOURCE_ORACLE_USER"));
    assertEquals(
        oracle.password().orElseThrow(), database.get("IRIS_COLLECTOR_SOURCE_ORACLE_PASSWORD"));

    CompressorSettings.from(new IrisConfig(environment(service("compressor"))));
    FeatureSettings feature = FeatureSettings.from(new IrisConfig(environment(service("feature"))));
    assertEquals(Path.of("/var/lib/iris/offline"), feature.offlineDir());
  }

  @Test
  void everySettingTheComposeFilePassesIsInEnvExampleWithTheSameDefault() throws Exception {
    String raw = Files.readString(COMPOSE_FILE);
    Matcher reference = Pattern.compile("\\$\\{(IRIS_[A-Z0-9_]+)(?::([-?])([^}]*))?}").matcher(raw);
    Set<String> referenced = new TreeSet<>();
    while (reference.find()) {
      String name = reference.group(1);
      referenced.add(name);
      assertTrue(
          envExample.containsKey(name), name + " is used in the compose file, not in .env.example");
      if ("-".equals(reference.group(2))) {
        assertEquals(
            reference.group(3),
            envExample.get(name),
            name + ": the compose default and .env.example disagree");
      }
    }
    // No IRIS_* value is hidden from .env.example by being written into the file as a literal.
    Matcher literal = Pattern.compile("(?m)^\\s+(IRIS_[A-Z0-9_]+):\\s*(.*)$").matcher(raw);
    while (literal.find()) {
      assertTrue(
          literal.group(2).startsWith("${" + literal.group(1)),
          literal.group(1) + " is set in the compose file without ${...}: " + literal.group(2));
    }
    assertEquals(
        new TreeSet<>(irisNames(envExample.keySet())),
        referenced,
        ".env.example lists settings the compose file does not pass");
  }

  @Test
  void everySettingInEnvExampleIsARealSettingAndEveryApplicableOneIsThere() {
    Set<String> declared = new TreeSet<>();
    for (Setting setting : declaredSettings()) {
      declared.add(setting.name());
    }
    List<String> sources = new ArrayList<>();
    for (String source : envExample.get("IRIS_COLLECTOR_SOURCES").split(",")) {
      sources.add(source.trim().toUpperCase(Locale.ROOT));
    }
    for (String name : irisNames(envExample.keySet())) {
      assertTrue(
          declared.contains(name) || isSourceSetting(name, sources), name + " is no setting");
    }
    // IRIS_HTTP_PORT differs per service: each image sets its own (checked below).
    declared.remove(Settings.HTTP_PORT.name());
    for (String name : declared) {
      assertTrue(envExample.containsKey(name), name + " is missing from .env.example");
    }
  }

  @Test
  void namedVolumesAreDeclaredUsedAndHoldTheDataDirectories() {
    Set<String> declared = map(config.get("volumes")).keySet();
    Set<String> used = new TreeSet<>();
    Map<String, Map<String, String>> mounts = new LinkedHashMap<>();
    services()
        .forEach(
            (name, service) -> {
              Map<String, String> byTarget = volumesByTarget(service);
              for (String source : byTarget.values()) {
                // Bind mounts are rendered as absolute paths; everything else is a named volume.
                if (!source.startsWith("/")) {
                  assertTrue(declared.contains(source), source + " is not declared");
                  used.add(source);
                }
              }
              mounts.put(name, byTarget);
            });
    assertEquals(new TreeSet<>(declared), used, "declared volumes no service uses");

    assertNamedVolumeAt(mounts, "oracle", "/opt/oracle/oradata");
    assertNamedVolumeAt(mounts, "kafka", environment(service("kafka")).get("KAFKA_LOG_DIRS"));
    assertNamedVolumeAt(mounts, "redis", "/data");
    assertNamedVolumeAt(mounts, "grafana", "/var/lib/grafana");
    for (String name : List.of("parser", "compressor", "feature")) {
      assertNamedVolumeAt(mounts, name, environment(service(name)).get("IRIS_STATE_DIR"));
    }
    assertNamedVolumeAt(
        mounts, "feature", environment(service("feature")).get("IRIS_FEATURE_OFFLINE_DIR"));
    Set<String> stateVolumes = new LinkedHashSet<>();
    for (String name : List.of("parser", "compressor", "feature")) {
      stateVolumes.add(mounts.get(name).get("/var/lib/iris/state"));
    }
    assertEquals(3, stateVolumes.size(), "each service keeps its own state");
  }

  @Test
  void eachServiceImageRunsItsJarAsANonRootUserAndChecksReadiness() throws Exception {
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (ServiceCatalog.Service service :
        ServiceCatalog.all(new IrisConfig(Map.of()), Path.of(".iris"))) {
      ports.put(service.module(), service.port());
    }
    for (var entry : IRIS_SERVICES.entrySet()) {
      String module = entry.getValue();
      Map<String, Object> service = service(entry.getKey());
      assertEquals(REPO.resolve(module).toString(), map(service.get("build")).get("context"));
      String dockerfile = dockerfile(service);
      int port = ports.get(module);
      assertNonRootUser(module, dockerfile);
      assertTrue(
          Pattern.compile("(?m)^HEALTHCHECK .*\\n?.*CMD curl .*\\$\\{IRIS_HTTP_PORT}/health/ready")
              .matcher(dockerfile)
              .find(),
          module + ": no HEALTHCHECK on /health/ready");
      assertTrue(dockerfile.contains("IRIS_HTTP_HOST=0.0.0.0"), module);
      assertTrue(dockerfile.contains("IRIS_HTTP_PORT=" + port), module);
      assertTrue(dockerfile.contains("\nEXPOSE " + port + "\n"), module);
      assertTrue(dockerfile.contains("COPY target/iris-" + module + ".jar "), module);
      assertTrue(dockerfile.contains("-XX:MaxRAMPercentage="), module);
      assertTrue(dockerfile.contains("-XX:+ExitOnOutOfMemoryError"), module);
      assertTrue(
          list(service.get("ports")).stream()
              .anyMatch(p -> String.valueOf(p).endsWith(":" + port + ":" + port + "/tcp")),
          module + " does not publish " + port);
      String ignore = Files.readString(REPO.resolve(module).resolve(".dockerignore"));
      assertTrue(ignore.contains("!target/iris-" + module + ".jar"), module);
    }
    for (String name : List.of("parser", "compressor", "feature")) {
      assertTrue(dockerfile(service(name)).contains("IRIS_STATE_DIR=/var/lib/iris/state"), name);
    }
    assertTrue(
        dockerfile(service("feature")).contains("IRIS_FEATURE_OFFLINE_DIR=/var/lib/iris/offline"));
    assertNonRootUser("setup", dockerfile(service("setup")));
    assertTrue(dockerfile(service("setup")).contains("COPY target/iris-launcher.jar "));
  }

  @Test
  void theInfrastructureImagesAreTheVersionsIrisIsBuiltAndTestedWith() {
    assertEquals("apache/kafka:" + Distributions.kafkaVersion(), service("kafka").get("image"));
    assertEquals(
        "apicurio/apicurio-registry:" + Distributions.apicurioVersion(),
        service("registry").get("image"));
  }

  @Test
  void theOracleUserGetsExactlyTheViewsTheCollectorReads() throws Exception {
    String reader =
        Files.readString(
            REPO.resolve("collector-service/src/main/java/io/iris/collector/AwrReader.java"));
    Set<String> expected = new TreeSet<>();
    Matcher awrView = Pattern.compile("%s([A-Z_]+)").matcher(reader);
    while (awrView.find()) {
      expected.add("DBA_HIST_" + awrView.group(1));
    }
    Matcher dynamicView = Pattern.compile("\\bV\\$([A-Z_]+)").matcher(reader);
    while (dynamicView.find()) {
      // V$X is a public synonym of SYS.V_$X, which is what can be granted.
      expected.add("V_$" + dynamicView.group(1));
    }
    String script = Files.readString(INIT_DIR.resolve("02-iris-user.sh"));
    Set<String> granted = new TreeSet<>();
    Matcher grant = Pattern.compile("GRANT SELECT ON SYS\\.([A-Z_\\\\$]+) TO").matcher(script);
    while (grant.find()) {
      granted.add(grant.group(1).replace("\\$", "$"));
    }
    assertEquals(expected, granted);
    assertTrue(script.contains("GRANT CREATE SESSION TO ${iris_user};"));
    // The grants are for DBA_HIST_ in FREEPDB1, which is where and how the collector reads.
    Map<String, String> collector = environment(service("collector"));
    assertEquals("DBA_HIST_", collector.get("IRIS_COLLECTOR_SOURCE_ORACLE_VIEW_PREFIX"));
    assertTrue(collector.get("IRIS_COLLECTOR_SOURCE_ORACLE_URL").endsWith("/FREEPDB1"));
    assertTrue(script.contains("ALTER SESSION SET CONTAINER = FREEPDB1;"));
    assertTrue(Files.isExecutable(INIT_DIR.resolve("02-iris-user.sh")), "the image sources it");

    assertTrue(
        Files.readString(INIT_DIR.resolve("01-awr-settings.sql"))
            .contains("MODIFY_SNAPSHOT_SETTINGS(interval => 15)"));
    // The health check waits for the file the last init script writes.
    String marker = "/opt/oracle/oradata/.iris-initialized";
    assertTrue(Files.readString(INIT_DIR.resolve("99-iris-initialized.sh")).contains(marker));
    assertTrue(
        String.valueOf(map(service("oracle").get("healthcheck")).get("test")).contains(marker));
  }

  // --- helpers --------------------------------------------------------------------------------

  @Test
  void prometheusAndGrafanaFindTheirConfigurationWhereItIsMounted() throws Exception {
    Map<String, String> grafana = volumesByTarget(service("grafana"));
    Map<String, Object> provider =
        map(
            list(map(new ObjectMapper(new YAMLFactory())
                        .readValue(
                            COMPOSE_DIR
                                .resolve("grafana/provisioning/dashboards/iris.yml")
                                .toFile(),
                            Map.class))
                    .get("providers"))
                .get(0));
    String dashboards = String.valueOf(map(provider.get("options")).get("path"));
    // docker-compose config gives host paths absolute.
    assertEquals(
        COMPOSE_DIR.resolve("grafana/dashboards").toString(),
        grafana.get(dashboards),
        "dashboards mounted at " + dashboards);
    assertEquals(
        COMPOSE_DIR.resolve("grafana/provisioning").toString(),
        grafana.get("/etc/grafana/provisioning"));
    assertEquals(
        COMPOSE_DIR.resolve("prometheus").toString(),
        volumesByTarget(service("prometheus")).get("/etc/prometheus"));
    assertTrue(
        list(service("prometheus").get("command"))
            .contains("--config.file=/etc/prometheus/prometheus.yml"));
  }

  private static List<Setting> declaredSettings() {
    List<Setting> settings = new ArrayList<>(Settings.all());
    settings.addAll(CollectorSettings.all());
    settings.addAll(CompressorSettings.all());
    settings.addAll(FeatureSettings.all());
    return settings;
  }

  private static boolean isSourceSetting(String name, List<String> sources) {
    for (String source : sources) {
      String prefix = "IRIS_COLLECTOR_SOURCE_" + source + "_";
      if (name.startsWith(prefix) && SOURCE_SUFFIXES.contains(name.substring(prefix.length()))) {
        return true;
      }
    }
    return false;
  }

  private static List<String> irisNames(Set<String> names) {
    return names.stream().filter(n -> n.startsWith("IRIS_")).toList();
  }

  /** NAME=value lines; comments and blank lines skipped (docker-compose's .env format). */
  private static Map<String, String> readEnvFile(Path file) throws Exception {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file)) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int equals = trimmed.indexOf('=');
      assertTrue(equals > 0, ".env.example: not NAME=value: " + line);
      String name = trimmed.substring(0, equals);
      assertFalse(values.containsKey(name), ".env.example sets " + name + " twice");
      values.put(name, trimmed.substring(equals + 1));
    }
    return values;
  }

  private static void assertNamedVolumeAt(
      Map<String, Map<String, String>> mounts, String service, String target) {
    assertNotNull(target, service);
    String source = mounts.get(service).get(target);
    assertNotNull(source, service + " has no volume at " + target);
    assertFalse(source.startsWith("/"), service + " mounts a host path at " + target);
  }

  private static Map<String, String> volumesByTarget(Map<String, Object> service) {
    Map<String, String> byTarget = new LinkedHashMap<>();
    for (Object volume : list(service.get("volumes"))) {
      String[] parts = String.valueOf(volume).split(":");
      byTarget.put(parts[1], parts[0]);
    }
    return byTarget;
  }

  private static void assertNonRootUser(String image, String dockerfile) {
    Matcher user = Pattern.compile("(?m)^USER\\s+(\\S+)").matcher(dockerfile);
    String last = null;
    while (user.find()) {
      last = user.group(1);
    }
    assertNotNull(last, image + ": no USER");
    String name = last.split(":")[0];
    assertFalse(name.equals("root") || name.equals("0"), image + " runs as root");
  }

  private static String dockerfile(Map<String, Object> service) throws Exception {
    Map<String, Object> build = map(service.get("build"));
    return Files.readString(Path.of(String.valueOf(build.get("context"))).resolve("Dockerfile"));
  }

  private static Map<String, Map<String, Object>> services() {
    Map<String, Map<String, Object>> services = new LinkedHashMap<>();
    map(config.get("services")).forEach((name, service) -> services.put(name, map(service)));
    return services;
  }

  private static Map<String, Object> service(String name) {
    Map<String, Object> service = services().get(name);
    assertNotNull(service, "no service " + name + " in:\n" + rendered);
    return service;
  }

  /** The service's environment as the container gets it. */
  private static Map<String, String> environment(Map<String, Object> service) {
    Map<String, String> env = new LinkedHashMap<>();
    map(service.get("environment")).forEach((k, v) -> env.put(k, v == null ? "" : v.toString()));
    return env;
  }

  private static Map<String, String> dependsOn(Map<String, Object> service) {
    Map<String, String> conditions = new LinkedHashMap<>();
    map(service.get("depends_on"))
        .forEach((name, spec) -> conditions.put(name, String.valueOf(map(spec).get("condition"))));
    return conditions;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value == null ? Map.of() : (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    return value == null ? List.of() : (List<Object>) value;
  }
}
