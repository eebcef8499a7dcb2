package io.iris.feature;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;

/**
 * Forwards every connection to a loopback port on to a real server: the network path to it, which a
 * test opens when it likes (before, nothing answers on the port).
 */
final class TcpForward implements AutoCloseable {
  private final ServerSocket server;

  private TcpForward(int port, URI target) throws IOException {
    server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual()
        .start(
            () -> {
              while (!server.isClosed()) {
                try {
                  Socket in = server.accept();
                  Socket out = new Socket(target.getHost(), target.getPort());
                  copy(in, out);
                  copy(out, in);
                } catch (IOException e) {
                  // Closed: the forward is over.
                }
              }
            });
  }

  /** Opens {@code port} on loopback, to {@code target} (its host and port). */
  static TcpForward open(int port, URI target) throws IOException {
    return new TcpForward(port, target);
  }

  private static void copy(Socket from, Socket to) {
    Thread.ofVirtual()
        .start(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException e) {
                // One side closed.
              } finally {
                close(from);
                close(to);
              }
            });
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Already closed.
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
