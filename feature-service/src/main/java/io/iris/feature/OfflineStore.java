package io.iris.feature;

import io.iris.schemas.avro.FeatureVector;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;

/**
 * The offline feature store: {@link FeatureVector}s as Parquet files on a local file system,
 * written with parquet-avro and readable by any Parquet reader (DuckDB, Spark, pandas).
 *
 * <p>Layout under the root directory, Hive-style so that readers see {@code dbid} and {@code date}
 * as columns and can skip directories:
 *
 * <pre>
 * &lt;root&gt;/features/v1/dbid=&lt;dbid&gt;/date=&lt;yyyy-mm-dd&gt;/features-&lt;partition&gt;-&lt;firstOffset&gt;-&lt;lastOffset&gt;.parquet
 * </pre>
 *
 * {@code v1} is the feature set ({@link FeatureExtractor#FEATURE_SET}); {@code date} is the UTC day
 * of the row's {@code eventTime}. One call of {@link #write} is one batch consumed from one
 * partition of the {@code features} topic; it writes one file per (dbid, date) it contains, named
 * by the partition and the batch's offset range (offsets zero-padded to 20 digits, so names sort in
 * offset order). The files hold every field of the vector under its Avro name, ZSTD-compressed.
 *
 * <p>Crash safety: each file is written under a hidden name ({@code .features-...parquet.tmp},
 * which DuckDB and Hive globs skip), fsynced, and renamed atomically only when every file of the
 * batch is written, so no reader ever sees a partial file. The Kafka sink commits the batch's
 * offsets after {@code write} returns; when it is (re)assigned a partition it calls {@link
 * #discardUncommitted} with the committed offset before consuming, which removes what was written
 * after the last commit, so a crash between rename and commit neither loses nor duplicates rows.
 *
 * <p>The store keeps no state but its directory: several threads (or processes) may write different
 * partitions at once, since their file names never collide.
 */
public final class OfflineStore {
  /** The topic the rows come from; the first part of every file name. */
  public static final String TOPIC = "features";

  private static final Schema SCHEMA = FeatureVector.getClassSchema();
  private static final SpecificData MODEL = SpecificData.getForClass(FeatureVector.class);
  private static final CompressionCodecName CODEC = CompressionCodecName.ZSTD;

  /**
   * Continuous measurements: hardly a value repeats within a file, so a dictionary would only cost
   * time (a quarter of the write's CPU in the benchmark) before Parquet falls back to plain.
   */
  private static final List<String> NO_DICTIONARY =
      columns(
          "elapsedPerExecUs",
          "cpuPerExecUs",
          "bufferGetsPerExec",
          "diskReadsPerExec",
          "rowsPerExec",
          "cpuElapsedRatio",
          "ioWaitShare",
          "dbTimeShare",
          "representativeWeight");

  /** parquet-avro's key for the schema records are read with (its setter wants Hadoop types). */
  private static final String AVRO_READ_SCHEMA = "parquet.avro.read.schema";

  private static final String SUFFIX = ".parquet";
  private static final String TEMP_SUFFIX = ".tmp";
  private static final Pattern FILE =
      Pattern.compile(TOPIC + "-(\\d+)-(\\d{20})-(\\d{20})" + Pattern.quote(SUFFIX));
  private static final Pattern TEMP_FILE =
      Pattern.compile("\\." + FILE.pattern() + Pattern.quote(TEMP_SUFFIX));
  private static final Pattern DBID_DIR = Pattern.compile("dbid=(-?\\d+)");
  private static final Pattern DATE_DIR = Pattern.compile("date=(\\d{4}-\\d{2}-\\d{2})");

  /** Which of two rows of a template is the later one; ties go the same way on every read. */
  private static final Comparator<FeatureVector> LATEST =
      Comparator.comparing(FeatureVector::getEventTime)
          .thenComparingLong(FeatureVector::getDbid)
          .thenComparingInt(FeatureVector::getInstanceNumber)
          .thenComparingLong(FeatureVector::getSnapId);

  private final Path directory;

  /** A store under {@code <root>/features/v1/}; nothing is created until the first write. */
  public OfflineStore(Path root) {
    this.directory = root.resolve(TOPIC).resolve(FeatureExtractor.FEATURE_SET);
  }

  /** {@code <root>/features/v1}: the directory other Parquet readers glob. */
  public Path directory() {
    return directory;
  }

  /** The final name of a batch's file in each of its (dbid, date) directories. */
  public static String fileName(int partition, long firstOffset, long lastOffset) {
    return String.format("%s-%d-%020d-%020d%s", TOPIC, partition, firstOffset, lastOffset, SUFFIX);
  }

  /**
   * Writes one batch, the records of partition {@code partition} at offsets {@code firstOffset} to
   * {@code lastOffset}, as one file per (dbid, date) and returns the files. Either every file of
   * the batch is visible when this returns or, when it throws, none is (and no temporary file is
   * left).
   *
   * @throws IOException naming the directory and the cause when a file cannot be written
   */
  public List<Path> write(
      int partition, long firstOffset, long lastOffset, List<FeatureVector> rows)
      throws IOException {
    if (partition < 0 || firstOffset < 0 || lastOffset < firstOffset) {
      throw new IllegalArgumentException(
          "a batch needs partition >= 0 and 0 <= firstOffset <= lastOffset, got partition "
              + partition
              + ", offsets "
              + firstOffset
              + ".."
              + lastOffset);
    }
    Map<Path, List<FeatureVector>> groups = new TreeMap<>();
    for (FeatureVector row : rows) {
      groups.computeIfAbsent(partitionDirectory(row), d -> new ArrayList<>()).add(row);
    }
    String name = fileName(partition, firstOffset, lastOffset);
    List<Path> temporary = new ArrayList<>();
    List<Path> written = new ArrayList<>();
    Path current = directory;
    try {
      Set<Path> toSync = new LinkedHashSet<>();
      for (Map.Entry<Path, List<FeatureVector>> group : groups.entrySet()) {
        current = group.getKey();
        toSync.addAll(createDirectories(current));
        Path temp = current.resolve("." + name + TEMP_SUFFIX);
        temporary.add(temp);
        writeFile(temp, group.getValue());
      }
      for (Path temp : temporary) {
        current = temp.getParent();
        Path target = current.resolve(name);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        written.add(target);
        toSync.add(current);
      }
      // The renames (and new directories) must be on disk before the sink commits the offsets.
      for (Path dir : toSync) {
        current = dir;
        fsync(dir, StandardOpenOption.READ);
      }
      return written;
    } catch (IOException | RuntimeException e) {
      // The batch's offsets are not committed: it will be consumed again, so none of it may stay.
      for (Path path : temporary) {
        deleteIfExists(path, e);
      }
      for (Path path : written) {
        deleteIfExists(path, e);
      }
      throw new IOException(
          "offline store: cannot write "
              + name
              + " ("
              + rows.size()
              + " rows) in "
              + current
              + ": "
              + e,
          e);
    }
  }

  /**
   * Deletes what partition {@code partition} wrote at or after {@code committedOffset} (the next
   * offset the consumer reads) and its leftover temporary files. Call it on assignment, before
   * consuming from the committed offset.
   *
   * @return the files deleted
   */
  public List<Path> discardUncommitted(int partition, long committedOffset) throws IOException {
    List<Path> deleted = new ArrayList<>();
    Set<Path> changed = new LinkedHashSet<>();
    for (Path dir : partitionDirectories(OptionalLong.empty(), LocalDate.MAX)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
        for (Path file : files) {
          String name = file.getFileName().toString();
          Matcher temp = TEMP_FILE.matcher(name);
          Matcher done = FILE.matcher(name);
          boolean discard =
              (temp.matches() && Integer.parseInt(temp.group(1)) == partition)
                  || (done.matches()
                      && Integer.parseInt(done.group(1)) == partition
                      && Long.parseLong(done.group(2)) >= committedOffset);
          if (discard && Files.deleteIfExists(file)) {
            deleted.add(file);
            changed.add(dir);
          }
        }
      }
    }
    // A deletion lost in a power cut would bring back rows that are consumed again.
    for (Path dir : changed) {
      fsync(dir, StandardOpenOption.READ);
    }
    return deleted;
  }

  /** {@link #asOf(Instant, OptionalLong)} over every database. */
  public Map<String, FeatureVector> asOf(Instant asOf) throws IOException {
    return asOf(asOf, OptionalLong.empty());
  }

  /**
   * Point-in-time read: for each template id, its row with the latest {@code eventTime} at or
   * before {@code asOf} (ties: the highest dbid, instance number, snapshot id), never a later one.
   * Only directories of {@code dbid} (when given) and of dates up to the as-of date are read.
   *
   * @return the rows by template id, in template id order; empty when nothing is stored
   */
  public Map<String, FeatureVector> asOf(Instant asOf, OptionalLong dbid) throws IOException {
    Map<String, FeatureVector> latest = new TreeMap<>();
    for (Path dir : partitionDirectories(dbid, LocalDate.ofInstant(asOf, ZoneOffset.UTC))) {
      for (Path file : finalFiles(dir)) {
        for (FeatureVector row : read(file)) {
          if (!row.getEventTime().isAfter(asOf)) {
            latest.merge(row.getTemplateId(), row, (a, b) -> LATEST.compare(b, a) > 0 ? b : a);
          }
        }
      }
    }
    return latest;
  }

  /**
   * Every row the store holds, of {@code dbid} when given: the whole history, e.g. for a training
   * set that is not a point-in-time view. Files still being written are not read.
   */
  public List<FeatureVector> rows(OptionalLong dbid) throws IOException {
    List<FeatureVector> rows = new ArrayList<>();
    for (Path dir : partitionDirectories(dbid, LocalDate.MAX)) {
      for (Path file : finalFiles(dir)) {
        rows.addAll(read(file));
      }
    }
    return rows;
  }

  /**
   * Every row of one file of the store.
   *
   * @throws IOException naming the file when it cannot be read or is not Parquet
   */
  static List<FeatureVector> read(Path file) throws IOException {
    PlainParquetConfiguration conf = new PlainParquetConfiguration();
    // Read with today's schema, so files written before a field was added still read.
    conf.set(AVRO_READ_SCHEMA, SCHEMA.toString());
    List<FeatureVector> rows = new ArrayList<>();
    try (ParquetReader<FeatureVector> reader =
        AvroParquetReader.<FeatureVector>builder(new LocalInputFile(file), conf)
            .withDataModel(MODEL)
            .build()) {
      for (FeatureVector row = reader.read(); row != null; row = reader.read()) {
        rows.add(row);
      }
    } catch (IOException | RuntimeException e) {
      // parquet-hadoop reports a damaged file as a RuntimeException.
      throw new IOException("offline store: cannot read " + file + ": " + e, e);
    }
    return rows;
  }

  /** Field names, checked against the schema so that a renamed field cannot go unnoticed. */
  private static List<String> columns(String... names) {
    for (String name : names) {
      if (SCHEMA.getField(name) == null) {
        throw new IllegalStateException("FeatureVector has no field " + name);
      }
    }
    return List.of(names);
  }

  private Path partitionDirectory(FeatureVector row) {
    return directory
        .resolve("dbid=" + row.getDbid())
        .resolve("date=" + LocalDate.ofInstant(row.getEventTime(), ZoneOffset.UTC));
  }

  private static void writeFile(Path file, List<FeatureVector> rows) throws IOException {
    AvroParquetWriter.Builder<FeatureVector> builder =
        AvroParquetWriter.<FeatureVector>builder(new LocalOutputFile(file))
            .withConf(new PlainParquetConfiguration())
            .withSchema(SCHEMA)
            .withDataModel(MODEL)
            .withCompressionCodec(CODEC)
            // A temporary file left by a crash is simply replaced.
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE);
    for (String column : NO_DICTIONARY) {
      builder.withDictionaryEncoding(column, false);
    }
    try (ParquetWriter<FeatureVector> writer = builder.build()) {
      for (FeatureVector row : rows) {
        writer.write(row);
      }
    }
    fsync(file, StandardOpenOption.WRITE);
  }

  /**
   * Creates {@code dir} and missing parents; returns the parents of what it created, whose new
   * entries must be fsynced too.
   */
  private static List<Path> createDirectories(Path dir) throws IOException {
    List<Path> parents = new ArrayList<>();
    for (Path d = dir; d != null && !Files.isDirectory(d); d = d.getParent()) {
      if (d.getParent() != null) {
        parents.add(d.getParent());
      }
    }
    Files.createDirectories(dir);
    return parents;
  }

  private static void fsync(Path path, StandardOpenOption mode) throws IOException {
    try (FileChannel channel = FileChannel.open(path, mode)) {
      channel.force(true);
    }
  }

  private static void deleteIfExists(Path path, Exception failure) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * The {@code dbid=/date=} directories, sorted: of {@code dbid} when given, up to {@code
   * lastDate}.
   */
  private List<Path> partitionDirectories(OptionalLong dbid, LocalDate lastDate)
      throws IOException {
    List<Path> dirs = new ArrayList<>();
    for (Path dbidDir : subdirectories(directory, DBID_DIR)) {
      Matcher m = DBID_DIR.matcher(dbidDir.getFileName().toString());
      if (m.matches() && (dbid.isEmpty() || Long.parseLong(m.group(1)) == dbid.getAsLong())) {
        for (Path dateDir : subdirectories(dbidDir, DATE_DIR)) {
          Matcher d = DATE_DIR.matcher(dateDir.getFileName().toString());
          if (d.matches() && !LocalDate.parse(d.group(1)).isAfter(lastDate)) {
            dirs.add(dateDir);
          }
        }
      }
    }
    return dirs;
  }

  private static List<Path> subdirectories(Path dir, Pattern name) throws IOException {
    List<Path> found = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path entry : entries) {
          if (Files.isDirectory(entry) && name.matcher(entry.getFileName().toString()).matches()) {
            found.add(entry);
          }
        }
      }
    }
    found.sort(null);
    return found;
  }

  private static List<Path> finalFiles(Path dir) throws IOException {
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        if (FILE.matcher(entry.getFileName().toString()).matches()) {
          found.add(entry);
        }
      }
    }
    found.sort(null);
    return found;
  }
}
