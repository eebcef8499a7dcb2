package io.iris.infra;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a main class, or a command, and ends it when a given parent process ends. A test JVM that is
 * killed cannot stop its children, so the children watch it instead: no broker, registry or Redis
 * outlives the test run that started it.
 *
 * <p>Usage: {@code OrphanGuard <parentPid> <mainClass> [args...]} or {@code OrphanGuard <parentPid>
 * --exec <command> [args...]}.
 */
public final class OrphanGuard {
  static final String EXEC = "--exec";

  private OrphanGuard() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      throw new IllegalArgumentException(
          "usage: OrphanGuard <parentPid> (<mainClass> | --exec <command>) [args...]");
    }
    long parentPid = Long.parseLong(args[0]);
    if (EXEC.equals(args[1])) {
      Process child = new ProcessBuilder(List.of(args).subList(2, args.length)).inheritIO().start();
      Runtime.getRuntime().addShutdownHook(new Thread(child::destroy));
      watch(parentPid, () -> child.destroy());
      System.exit(child.waitFor());
    }
    watch(parentPid, () -> {});
    Method main = Class.forName(args[1]).getMethod("main", String[].class);
    main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
  }

  private static void watch(long parentPid, Runnable beforeExit) {
    Runnable end =
        () -> {
          beforeExit.run();
          Runtime.getRuntime().halt(0);
        };
    ProcessHandle.of(parentPid)
        .ifPresentOrElse(
            parent ->
                Thread.ofPlatform()
                    .daemon()
                    .name("orphan-guard")
                    .start(
                        () -> {
                          parent.onExit().join();
                          end.run();
                        }),
            end);
  }
}
