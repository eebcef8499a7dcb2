package io.iris.infra;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds the command line of a child JVM. */
final class JavaCommand {
  private JavaCommand() {}

  /**
   * {@code java <jvmArgs> -cp <classpath> <mainClass> <args>}; in {@link ProcessMode#CHILD} mode
   * the main class runs under {@link OrphanGuard}, which this module's classes are added for.
   */
  static List<String> of(
      ProcessMode mode,
      List<String> jvmArgs,
      String classpath,
      String mainClass,
      List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Executables.currentJava().toString());
    command.addAll(jvmArgs);
    command.add("-cp");
    if (mode == ProcessMode.CHILD) {
      command.add(classpath + java.io.File.pathSeparator + ownLocation());
      command.add(OrphanGuard.class.getName());
      command.add(Long.toString(ProcessHandle.current().pid()));
    } else {
      command.add(classpath);
    }
    command.add(mainClass);
    command.addAll(args);
    return command;
  }

  /** Runs a non-Java {@code command} under {@link OrphanGuard}, so it dies with this JVM. */
  static List<String> guarded(List<String> command) {
    List<String> guarded = new ArrayList<>();
    guarded.add(Executables.currentJava().toString());
    guarded.add("-Xmx32m");
    guarded.add("-cp");
    guarded.add(ownLocation());
    guarded.add(OrphanGuard.class.getName());
    guarded.add(Long.toString(ProcessHandle.current().pid()));
    guarded.add(OrphanGuard.EXEC);
    guarded.addAll(command);
    return guarded;
  }

  private static String ownLocation() {
    try {
      return Path.of(OrphanGuard.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the iris-infra classes", e);
    }
  }
}
