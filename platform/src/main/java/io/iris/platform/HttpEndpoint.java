package io.iris.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A service's HTTP endpoint: {@code /metrics} (Prometheus), {@code /health/live} and {@code
 * /health/ready}, plus any routes the service adds (the feature service's read API). Runs on the
 * JDK's HTTP server with a virtual thread per request.
 */
public final class HttpEndpoint implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    // The JDK server writes headers and body separately; with Nagle's algorithm on, a keep-alive
    // client waits for the delayed ACK (~40 ms) on every small response.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;

  private HttpEndpoint(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Binds {@code host:port} (port 0: any free port) and starts serving. */
  public static HttpEndpoint start(String host, int port, ServiceMetrics metrics, Health health) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 128);
    } catch (BindException e) {
      throw new ConfigurationException(
          "cannot listen on "
              + host
              + ":"
              + port
              + " ("
              + e.getMessage()
              + "): another process uses the port; stop it or set IRIS_HTTP_PORT");
    } catch (IOException e) {
      throw new ConfigurationException("cannot listen on " + host + ":" + port + ": " + e);
    }
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    HttpEndpoint endpoint = new HttpEndpoint(server, executor);
    // Paths nobody serves: a JSON answer like every other, not the JDK's HTML page.
    endpoint.route(
        "/",
        exchange ->
            respond(
                exchange,
                404,
                "application/json",
                "{\"error\":\"nothing is served at "
                    + exchange.getRequestURI().getPath().replace("\"", "")
                    + "\"}"));
    endpoint.route(
        "/metrics", exchange -> respond(exchange, 200, PROMETHEUS_TEXT, metrics.scrape()));
    endpoint.route(
        "/health/live",
        exchange -> respond(exchange, 200, "application/json", "{\"status\":\"UP\"}"));
    endpoint.route(
        "/health/ready",
        exchange -> {
          Map<String, String> problems = health.problems();
          respond(
              exchange,
              problems.isEmpty() ? 200 : 503,
              "application/json",
              problems.isEmpty() ? "{\"status\":\"UP\"}" : downJson(problems));
        });
    server.start();
    return endpoint;
  }

  /** Adds a route; {@code path} matches itself and everything below it. */
  public void route(String path, HttpHandler handler) {
    server.createContext(
        path,
        exchange -> {
          try (exchange) {
            handler.handle(exchange);
          } catch (RuntimeException e) {
            respond(exchange, 500, "text/plain; charset=utf-8", "internal error: " + e);
          }
        });
  }

  /** Writes a complete response. */
  public static void respond(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static String downJson(Map<String, String> problems) throws IOException {
    return JSON.writeValueAsString(Map.of("status", "DOWN", "checks", problems));
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
