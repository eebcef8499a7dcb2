package io.iris.simulator;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Oracle-style identifiers computed from SQL text. */
final class OracleIds {
  private static final String BASE32 = "0123456789abcdfghjkmnpqrstuvwxyz";

  private OracleIds() {}

  /**
   * The SQL_ID Oracle gives {@code text}: the last 8 bytes of MD5(text + NUL), read as two
   * little-endian 32-bit words, in Oracle's base-32 alphabet, 13 characters.
   */
  static String sqlId(String text) {
    byte[] md5 = md5(text + "\0");
    long high = littleEndian(md5, 8);
    long low = littleEndian(md5, 12);
    long hash = (high << 32) | low;
    char[] id = new char[13];
    for (int i = 12; i >= 0; i--) {
      id[i] = BASE32.charAt((int) (hash & 31));
      hash >>>= 5;
    }
    return new String(id);
  }

  /** An unsigned 64-bit signature of {@code key}, as Oracle's FORCE_MATCHING_SIGNATURE is. */
  static BigInteger signature(String key) {
    byte[] md5 = md5(key);
    return new BigInteger(1, java.util.Arrays.copyOf(md5, 8));
  }

  /** A plan hash value: an unsigned 32-bit number. */
  static long planHash(String key) {
    byte[] md5 = md5(key);
    return littleEndian(md5, 0);
  }

  private static long littleEndian(byte[] bytes, int offset) {
    return (bytes[offset] & 0xffL)
        | (bytes[offset + 1] & 0xffL) << 8
        | (bytes[offset + 2] & 0xffL) << 16
        | (bytes[offset + 3] & 0xffL) << 24;
  }

  private static byte[] md5(String text) {
    try {
      return MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every JDK", e);
    }
  }
}
