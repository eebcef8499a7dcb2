package io.iris.parser;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A statement as a literal-free template: its normalized text, its id and the tokens it was made
 * of.
 *
 * @param id the first 16 hex digits of SHA-256 over the UTF-8 text
 * @param text the normalized text
 * @param tokens the normalized tokens
 */
public record SqlTemplate(String id, String text, List<Token> tokens) {
  /** The version of the normalization rules; a rule change means t2. */
  public static final String VERSION = "t1";

  /** The template id of a normalized text, recomputable by any consumer. */
  public static String idOf(String text) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
