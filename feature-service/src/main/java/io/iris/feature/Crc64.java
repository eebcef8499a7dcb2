package io.iris.feature;

/**
 * The CRC-64 that Redis puts at the end of a DUMP payload: Jones polynomial, bits reflected,
 * initial value 0, no final xor (Redis's {@code crc64.c}; "123456789" gives {@code
 * 0xe9c6d914c4b8d9ca}).
 */
final class Crc64 {
  /** 0xad93d23594c935a9 with its bits reversed, for the reflected algorithm. */
  private static final long POLYNOMIAL = 0x95ac9329ac4bc9b5L;

  private static final long[] TABLE = new long[256];

  static {
    for (int i = 0; i < 256; i++) {
      long crc = i;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLYNOMIAL : crc >>> 1;
      }
      TABLE[i] = crc;
    }
  }

  private Crc64() {}

  static long of(byte[] bytes, int from, int to) {
    long crc = 0;
    for (int i = from; i < to; i++) {
      crc = TABLE[(int) (crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
    }
    return crc;
  }
}
