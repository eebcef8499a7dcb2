package io.iris.parser;

/**
 * One token of normalized SQL.
 *
 * @param kind what it is
 * @param text its normalized text: upper-case for words, {@code ?} for placeholders
 */
public record Token(Kind kind, String text) {
  /** Token kinds. */
  public enum Kind {
    /** An unquoted identifier or keyword, upper-cased. */
    WORD,
    /** A quoted identifier, exactly as written, quotes included. */
    QUOTED,
    /** A literal or bind variable, replaced by {@code ?}. */
    PLACEHOLDER,
    /** An optimizer hint, {@code /*+ ... *}{@code /}, its text upper-cased. */
    HINT,
    /** An operator or punctuation. */
    SYMBOL
  }

  static final Token PLACEHOLDER_TOKEN = new Token(Kind.PLACEHOLDER, "?");

  boolean is(String symbolOrWord) {
    return text.equals(symbolOrWord) && (kind == Kind.SYMBOL || kind == Kind.WORD);
  }

  boolean isWord(String word) {
    return kind == Kind.WORD && text.equals(word);
  }
}
