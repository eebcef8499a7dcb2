package io.iris.platform;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks at start-up that Kafka accepts a service's login. Kafka clients retry a refused login for
 * ever, logging a warning each time; a service with a wrong password would look alive and do
 * nothing. A refused login, or client settings Kafka cannot use, is a {@link
 * ConfigurationException} that names the variables to fix; a broker that does not answer is only a
 * warning, since the clients wait for it.
 */
public final class KafkaLogin {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaLogin.class);

  /** How long a service waits for the broker's answer before it starts anyway. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** A password inside a JAAS configuration. */
  private static final Pattern JAAS_PASSWORD = Pattern.compile("password\\s*=\\s*\"([^\"]*)\"");

  private KafkaLogin() {}

  /**
   * Logs in to the cluster with the admin client settings {@code admin}, waiting {@code timeout}.
   */
  public static void check(Map<String, Object> admin, Duration timeout) {
    Map<String, Object> props = new HashMap<>(admin);
    int millis = (int) timeout.toMillis();
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
    String where = String.valueOf(props.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
    Admin client;
    try {
      client = Admin.create(props);
    } catch (KafkaException e) {
      throw new ConfigurationException(
          "the Kafka client settings (IRIS_KAFKA_*) are not usable: "
              + masked(CauseMessages.of(e), props)
              + ". Check IRIS_KAFKA_SECURITY_PROTOCOL, IRIS_KAFKA_SASL_MECHANISM,"
              + " IRIS_KAFKA_SASL_JAAS_CONFIG and the IRIS_KAFKA_SSL_* settings.");
    }
    try (client) {
      client
          .describeCluster(new DescribeClusterOptions().timeoutMs(millis))
          .clusterId()
          .get(millis + 1_000L, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthenticationException refused) {
        throw new ConfigurationException(refusal(where, refused, props));
      }
      LOG.warn(
          "Kafka at {} did not answer the login check ({}); starting anyway, the clients retry",
          where,
          masked(CauseMessages.of(e.getCause()), props));
    } catch (TimeoutException e) {
      LOG.warn(
          "Kafka at {} did not answer within {} s; starting anyway, the clients retry. If the"
              + " broker requires TLS or SASL, set IRIS_KAFKA_SECURITY_PROTOCOL and its settings.",
          where,
          timeout.toSeconds());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String refusal(
      String where, AuthenticationException refused, Map<String, Object> props) {
    String reason = masked(CauseMessages.of(refused), props);
    if (refused instanceof SslAuthenticationException) {
      return "the TLS handshake with Kafka at "
          + where
          + " failed ("
          + reason
          + "). Check IRIS_KAFKA_SSL_TRUSTSTORE_LOCATION, IRIS_KAFKA_SSL_TRUSTSTORE_PASSWORD and"
          + " IRIS_KAFKA_SECURITY_PROTOCOL.";
    }
    String what = refused instanceof SaslAuthenticationException ? "the login" : "the client";
    return "Kafka at "
        + where
        + " refused "
        + what
        + " ("
        + reason
        + "). Check the user and password in IRIS_KAFKA_SASL_JAAS_CONFIG, and"
        + " IRIS_KAFKA_SASL_MECHANISM and IRIS_KAFKA_SECURITY_PROTOCOL.";
  }

  /** {@code message} with every secret of {@code props} replaced by ***. */
  static String masked(String message, Map<String, Object> props) {
    String shown = message;
    for (Map.Entry<String, Object> entry : props.entrySet()) {
      if (!IrisConfig.isSecretName(entry.getKey()) || entry.getValue() == null) {
        continue;
      }
      String secret = entry.getValue().toString();
      Matcher password = JAAS_PASSWORD.matcher(secret);
      while (password.find()) {
        shown = hide(shown, password.group(1));
      }
      shown = hide(shown, secret);
    }
    return shown;
  }

  private static String hide(String message, String secret) {
    return secret.isEmpty() ? message : message.replace(secret, "***");
  }
}
