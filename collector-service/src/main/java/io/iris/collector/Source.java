package io.iris.collector;

import java.time.ZoneId;
import java.util.Optional;

/**
 * One Oracle database the collector reads.
 *
 * @param name the name IRIS uses for it (AwrSnapshot.source, metrics tag)
 * @param jdbcUrl where it is, e.g. {@code jdbc:oracle:thin:@//db1:1521/ORCLPDB1}
 * @param user the account IRIS connects as
 * @param password its password (from the environment or a file; never printed)
 * @param viewPrefix {@code DBA_HIST_}, {@code CDB_HIST_} (CDB root) or {@code AWR_PDB_} (a PDB)
 * @param zone the database server's time zone: AWR times are its local times
 */
public record Source(
    String name,
    String jdbcUrl,
    Optional<String> user,
    Optional<String> password,
    String viewPrefix,
    ZoneId zone) {

  @Override
  public String toString() {
    return name + " (" + jdbcUrl.replaceAll("//[^/@]*@", "//***@") + ")";
  }
}
