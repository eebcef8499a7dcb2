package io.iris.platform;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a service's resources in reverse order of registration, once, on SIGTERM/SIGINT or when
 * asked. A service's main registers what it opens and then waits in {@link #await()}.
 */
public final class Shutdown implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Shutdown.class);

  private final Deque<Named> resources = new ArrayDeque<>();
  private final CountDownLatch done = new CountDownLatch(1);
  private final Thread hook = new Thread(this::close, "iris-shutdown");
  private boolean closed;

  private record Named(String name, AutoCloseable resource) {}

  /** Registers the JVM shutdown hook. */
  public Shutdown() {
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Closes {@code resource} at shutdown, before everything registered earlier. */
  public synchronized <T extends AutoCloseable> T register(String name, T resource) {
    resources.push(new Named(name, resource));
    return resource;
  }

  /**
   * Closes a Streams application so that it leaves its consumer group at once: Streams otherwise
   * stays a member until the session times out, and a restarted instance waits for that before it
   * gets its partitions back.
   */
  public static AutoCloseable leavingGroup(KafkaStreams streams, Duration timeout) {
    return () ->
        streams.close(
            CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(timeout));
  }

  /** Blocks until shutdown has finished. */
  public void await() throws InterruptedException {
    done.await();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      while (!resources.isEmpty()) {
        Named named = resources.pop();
        try {
          named.resource().close();
        } catch (Exception e) {
          LOG.warn("closing {} failed", named.name(), e);
        }
      }
    }
    if (Thread.currentThread() != hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down.
      }
    }
    done.countDown();
  }
}
