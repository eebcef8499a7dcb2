package io.iris.infra;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A {@code redis://[user[:password]@]host[:port][/db]} address. {@link #toString()} never shows the
 * password, so the URL can be logged.
 */
public record RedisUrl(
    String host, int port, Optional<String> user, Optional<String> password, int database) {

  public static final int DEFAULT_PORT = 6379;

  /** Parses a redis:// or rediss:// URL; the message of the exception says what is wrong. */
  public static RedisUrl parse(String url) {
    URI uri;
    try {
      uri = URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a Redis URL (redis://host:port): " + mask(url), e);
    }
    if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
      throw new IllegalArgumentException(
          "a Redis URL starts with redis:// (got " + mask(url) + ")");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("a Redis URL names a host: " + mask(url));
    }
    Optional<String> user = Optional.empty();
    Optional<String> password = Optional.empty();
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      if (parts.length == 2) {
        user = Optional.of(decode(parts[0])).filter(u -> !u.isEmpty());
        password = Optional.of(decode(parts[1]));
      } else {
        password = Optional.of(decode(parts[0]));
      }
    }
    int database = 0;
    String path = uri.getPath();
    if (path != null && path.length() > 1) {
      try {
        database = Integer.parseInt(path.substring(1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("the Redis database must be a number: " + mask(url), e);
      }
    }
    return new RedisUrl(
        uri.getHost(),
        uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort(),
        user,
        password,
        database);
  }

  public static RedisUrl local(int port) {
    return new RedisUrl("127.0.0.1", port, Optional.empty(), Optional.empty(), 0);
  }

  /** The same address, logging in with {@code password} (as Redis's default user). */
  public RedisUrl withPassword(String password) {
    return new RedisUrl(host, port, user, Optional.of(password), database);
  }

  /**
   * The full URL including credentials, {@code redis://[user]:password@host:port/db} with user and
   * password percent-encoded, for clients; never log it.
   */
  public String toUriWithCredentials() {
    StringBuilder sb = new StringBuilder("redis://");
    password.ifPresent(
        p -> sb.append(encode(user.orElse(""))).append(':').append(encode(p)).append('@'));
    return sb.append(host).append(':').append(port).append('/').append(database).toString();
  }

  @Override
  public String toString() {
    String auth = password.isPresent() ? user.orElse("") + ":***@" : "";
    return "redis://" + auth + host + ":" + port + "/" + database;
  }

  private static String encode(String s) {
    // URLEncoder writes a space as '+', which a URI's user info would keep as a plus.
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** Hides the user-info part of something that looked like a URL. */
  static String mask(String url) {
    return url.replaceAll("//[^/@]*@", "//***@");
  }
}
