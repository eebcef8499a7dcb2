package io.iris.infra;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Files only their owner may read: configuration and key stores that hold a password. */
final class PrivateFiles {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private PrivateFiles() {}

  /**
   * Writes {@code content} to {@code file}, which is created anew, readable by its owner only (mode
   * 0600), before anything is written to it.
   */
  static void write(Path file, String content) throws IOException {
    Files.deleteIfExists(file);
    if (isPosix()) {
      FileAttribute<Set<PosixFilePermission>> mode =
          PosixFilePermissions.asFileAttribute(OWNER_ONLY);
      Files.createFile(file, mode);
    }
    Files.writeString(file, content);
  }

  /** Makes an existing file readable by its owner only. */
  static void restrict(Path file) throws IOException {
    if (isPosix()) {
      Files.setPosixFilePermissions(file, OWNER_ONLY);
    }
  }

  private static boolean isPosix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }
}
