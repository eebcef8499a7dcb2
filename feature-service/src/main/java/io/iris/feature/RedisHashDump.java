package io.iris.feature;

import java.util.Arrays;

/**
 * Builds what Redis's DUMP returns for a small hash, so that one RESTORE writes a whole hash: Redis
 * then copies one string into place instead of building the hash field by field, at about half an
 * HSET's CPU (docs/PERFORMANCE.md, "Online store performance").
 *
 * <p>The layout (Redis's {@code listpack.md}, {@code rdb.c} and {@code cluster.c}): RDB type 16
 * ({@code RDB_TYPE_HASH_LISTPACK}, Redis 7.0 and later), the listpack as an RDB string, the RDB
 * version (2 bytes, little-endian) and a {@link Crc64} of all that (8 bytes, little-endian). Each
 * entry is encoded as HSET encodes it (a canonical integer as an integer, anything else as a
 * string), so the payload is byte for byte the DUMP of the hash HSET would build, and RESTORE
 * leaves exactly that hash. Not thread-safe: one per writer, reused.
 */
final class RedisHashDump {
  /** {@code RDB_TYPE_HASH_LISTPACK}: a hash in listpack encoding. */
  static final int HASH_LISTPACK = 16;

  /** Total bytes (4) and number of entries (2), little-endian. */
  private static final int HEADER = 6;

  private static final int END = 0xff;

  private final int rdbVersion;
  private byte[] listpack = new byte[1024];
  private int size = HEADER;
  private int entries;

  /** For a Redis whose DUMP says {@code rdbVersion}: RESTORE refuses a newer version. */
  RedisHashDump(int rdbVersion) {
    this.rdbVersion = rdbVersion;
  }

  /** The RDB version a DUMP payload was written with. */
  static int rdbVersion(byte[] payload) {
    return (payload[payload.length - 10] & 0xff) | (payload[payload.length - 9] & 0xff) << 8;
  }

  /** Starts the next hash. */
  RedisHashDump clear() {
    size = HEADER;
    entries = 0;
    return this;
  }

  RedisHashDump put(byte[] field, byte[] value) {
    text(field);
    text(value);
    return this;
  }

  RedisHashDump put(byte[] field, long value) {
    text(field);
    integer(value);
    return this;
  }

  /**
   * The DUMP payload of the hash put so far (which must not be empty: Redis keeps no empty hash).
   */
  byte[] payload() {
    int listpackBytes = size + 1;
    int lengthBytes = listpackBytes < 1 << 6 ? 1 : listpackBytes < 1 << 14 ? 2 : 5;
    byte[] payload = new byte[1 + lengthBytes + listpackBytes + 2 + 8];
    int at = 0;
    payload[at++] = HASH_LISTPACK;
    // RDB string length: 00xxxxxx, 01xxxxxx xxxxxxxx, or 0x80 and 4 bytes, big-endian.
    if (lengthBytes == 1) {
      payload[at++] = (byte) listpackBytes;
    } else if (lengthBytes == 2) {
      payload[at++] = (byte) (0x40 | listpackBytes >>> 8);
      payload[at++] = (byte) listpackBytes;
    } else {
      payload[at++] = (byte) 0x80;
      for (int shift = 24; shift >= 0; shift -= 8) {
        payload[at++] = (byte) (listpackBytes >>> shift);
      }
    }
    littleEndian(listpack, 0, listpackBytes, 4);
    littleEndian(listpack, 4, Math.min(entries, 0xffff), 2);
    System.arraycopy(listpack, 0, payload, at, size);
    at += size;
    payload[at++] = (byte) END;
    littleEndian(payload, at, rdbVersion, 2);
    at += 2;
    littleEndian(payload, at, Crc64.of(payload, 0, at), 8);
    return payload;
  }

  /** A string entry, or an integer one where HSET would make one of it. */
  private void text(byte[] s) {
    long value = 0;
    boolean negative = s.length > 1 && s[0] == '-';
    int i = negative ? 1 : 0;
    // As Redis's lpStringToInt64: "0", or an optional minus, a digit 1-9 and more digits.
    boolean canonical =
        (s.length == 1 && s[0] == '0')
            || (s.length < 21 && i < s.length && s[i] >= '1' && s[i] <= '9');
    // Accumulated negative, so that Long.MIN_VALUE fits; out of range is a string.
    for (; canonical && i < s.length; i++) {
      int digit = s[i] - '0';
      canonical = digit >= 0 && digit <= 9 && value >= (Long.MIN_VALUE + digit) / 10;
      value = value * 10 - digit;
    }
    if (canonical && (negative || value != Long.MIN_VALUE)) {
      integer(negative ? value : -value);
      return;
    }
    int header = s.length < 64 ? 1 : s.length < 4096 ? 2 : 5;
    ensure(header + s.length + 5);
    int start = size;
    if (header == 1) {
      listpack[size++] = (byte) (0x80 | s.length);
    } else if (header == 2) {
      listpack[size++] = (byte) (0xe0 | s.length >>> 8);
      listpack[size++] = (byte) s.length;
    } else {
      listpack[size++] = (byte) 0xf0;
      littleEndian(listpack, size, s.length, 4);
      size += 4;
    }
    System.arraycopy(s, 0, listpack, size, s.length);
    size += s.length;
    backLength(size - start);
  }

  /** The smallest of listpack's integer encodings that holds {@code v}. */
  private void integer(long v) {
    ensure(9 + 5);
    int start = size;
    if (v >= 0 && v <= 127) {
      listpack[size++] = (byte) v;
    } else if (v >= -4096 && v <= 4095) {
      long u = v < 0 ? (1 << 13) + v : v;
      listpack[size++] = (byte) (0xc0 | u >>> 8);
      listpack[size++] = (byte) u;
    } else {
      int bytes;
      int tag;
      if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
        tag = 0xf1;
        bytes = 2;
      } else if (v >= -(1 << 23) && v < 1 << 23) {
        tag = 0xf2;
        bytes = 3;
      } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
        tag = 0xf3;
        bytes = 4;
      } else {
        tag = 0xf4;
        bytes = 8;
      }
      listpack[size++] = (byte) tag;
      // Two's complement, little-endian: the low bytes of v are the value.
      littleEndian(listpack, size, v, bytes);
      size += bytes;
    }
    backLength(size - start);
  }

  /** An entry's length once more after it, so listpacks can be walked backwards. */
  private void backLength(int length) {
    entries++;
    if (length <= 127) {
      listpack[size++] = (byte) length;
    } else if (length < 16383) {
      listpack[size++] = (byte) (length >>> 7);
      listpack[size++] = (byte) (length & 127 | 128);
    } else if (length < 2097151) {
      listpack[size++] = (byte) (length >>> 14);
      listpack[size++] = (byte) (length >>> 7 & 127 | 128);
      listpack[size++] = (byte) (length & 127 | 128);
    } else {
      listpack[size++] = (byte) (length >>> 21);
      listpack[size++] = (byte) (length >>> 14 & 127 | 128);
      listpack[size++] = (byte) (length >>> 7 & 127 | 128);
      listpack[size++] = (byte) (length & 127 | 128);
    }
  }

  private void ensure(int more) {
    if (size + more + 1 > listpack.length) {
      listpack = Arrays.copyOf(listpack, Math.max(2 * listpack.length, size + more + 1));
    }
  }

  private static void littleEndian(byte[] to, int at, long value, int bytes) {
    for (int i = 0; i < bytes; i++) {
      to[at + i] = (byte) (value >>> 8 * i);
    }
  }
}
