package io.iris.infra;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How a test broker authenticates its clients: SASL/PLAIN with a fixed set of users, over TLS with
 * a {@link BrokerCertificate} or in plain text. The broker logs in to itself (transaction markers,
 * for one) as a user of its own with a random password. {@link #toString()} shows no password.
 */
public final class KafkaSecurity {
  /** The user the broker itself logs in as. */
  public static final String BROKER_USER = "iris-broker";

  private static final String PLAIN_LOGIN_MODULE =
      "org.apache.kafka.common.security.plain.PlainLoginModule";

  private final Map<String, String> users;
  private final Optional<BrokerCertificate> tls;

  private KafkaSecurity(Map<String, String> users, Optional<BrokerCertificate> tls) {
    this.users = users;
    this.tls = tls;
  }

  /** SASL/PLAIN in plain text, accepting {@code users} (name to password) and the broker's own. */
  public static KafkaSecurity saslPlain(Map<String, String> users) {
    Map<String, String> all = new TreeMap<>();
    users.forEach(
        (user, password) -> {
          check("user name", user);
          check("password of " + user, password);
          all.put(user, password);
        });
    if (all.containsKey(BROKER_USER)) {
      throw new IllegalArgumentException(BROKER_USER + " is the broker's own user");
    }
    byte[] random = new byte[18];
    new SecureRandom().nextBytes(random);
    all.put(BROKER_USER, "kb-" + HexFormat.of().formatHex(random));
    return new KafkaSecurity(Map.copyOf(all), Optional.empty());
  }

  /** The same users, over TLS with {@code certificate}. */
  public KafkaSecurity overTls(BrokerCertificate certificate) {
    return new KafkaSecurity(users, Optional.of(certificate));
  }

  /** The security protocol of the broker's client listener, which is also its name. */
  public String protocol() {
    return tls.isPresent() ? "SASL_SSL" : "SASL_PLAINTEXT";
  }

  public Optional<BrokerCertificate> tls() {
    return tls;
  }

  /** The broker settings of the client listener, as {@code server.properties} lines. */
  List<String> serverProperties() {
    String listener = "listener.name." + protocol().toLowerCase(Locale.ROOT) + ".";
    // The broker's own login, then every user it accepts as user_<name>="<password>".
    StringBuilder jaas =
        new StringBuilder(PLAIN_LOGIN_MODULE)
            .append(" required ")
            .append(credentials(BROKER_USER, users.get(BROKER_USER)));
    users.forEach(
        (user, password) ->
            jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
    jaas.append(';');
    List<String> lines = new ArrayList<>();
    lines.add("sasl.enabled.mechanisms=PLAIN");
    lines.add("sasl.mechanism.inter.broker.protocol=PLAIN");
    lines.add(listener + "plain.sasl.jaas.config=" + jaas);
    tls.ifPresent(
        certificate -> {
          lines.add("ssl.keystore.type=" + BrokerCertificate.STORE_TYPE);
          lines.add("ssl.keystore.location=" + certificate.keystore().toAbsolutePath());
          lines.add("ssl.keystore.password=" + certificate.password());
          lines.add("ssl.key.password=" + certificate.password());
          // The broker is a client of itself: it trusts its own certificate.
          lines.add("ssl.truststore.type=" + BrokerCertificate.STORE_TYPE);
          lines.add("ssl.truststore.location=" + certificate.truststore().toAbsolutePath());
          lines.add("ssl.truststore.password=" + certificate.password());
          lines.add("ssl.client.auth=none");
        });
    return lines;
  }

  /** Client settings that log in as {@code user}, one of the broker's users. */
  public Map<String, Object> client(String user) {
    String password = users.get(user);
    if (password == null) {
      throw new IllegalArgumentException("the broker has no user " + user);
    }
    return client(user, password);
  }

  /** Client settings that log in as {@code user} with {@code password}, right or wrong. */
  public Map<String, Object> client(String user, String password) {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("security.protocol", protocol());
    props.put("sasl.mechanism", "PLAIN");
    props.put("sasl.jaas.config", login(user, password));
    tls.ifPresent(
        certificate -> {
          props.put("ssl.truststore.type", BrokerCertificate.STORE_TYPE);
          props.put(
              "ssl.truststore.location", certificate.truststore().toAbsolutePath().toString());
          props.put("ssl.truststore.password", certificate.password());
        });
    return props;
  }

  /** A client's PLAIN login, as {@code sasl.jaas.config} takes it. */
  public static String login(String user, String password) {
    return PLAIN_LOGIN_MODULE + " required " + credentials(user, password) + ";";
  }

  private static String credentials(String user, String password) {
    return "username=\"" + user + "\" password=\"" + password + "\"";
  }

  /** The passwords of every user, the broker's included. */
  public Map<String, String> users() {
    return users;
  }

  private static void check(String what, String value) {
    if (value.isEmpty() || !value.matches("[A-Za-z0-9._~+\\-]+")) {
      throw new IllegalArgumentException(
          "a " + what + " holds only letters, digits and ._~+- (JAAS and URL safe)");
    }
  }

  @Override
  public String toString() {
    return "KafkaSecurity[" + protocol() + ", users " + users.keySet() + "]";
  }
}
