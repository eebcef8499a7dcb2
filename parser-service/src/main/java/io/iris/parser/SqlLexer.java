package io.iris.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits any text into normalized tokens; it never refuses input. Literals and bind variables
 * become placeholders, comments disappear, hints are kept upper-cased with collapsed spaces,
 * unquoted words are upper-cased and quoted identifiers kept as written. Text cut off inside a
 * string or comment ends there, the open literal counting as a placeholder. See TEMPLATING.md for
 * the rules.
 */
public final class SqlLexer {
  private final String sql;
  private final int length;
  private int pos;
  private final List<Token> tokens;

  private SqlLexer(String sql) {
    this.sql = sql;
    this.length = sql.length();
    this.tokens = new ArrayList<>(Math.max(16, length / 4));
  }

  /** The tokens of {@code sql}. */
  public static List<Token> tokenize(String sql) {
    SqlLexer lexer = new SqlLexer(sql == null ? "" : sql);
    lexer.run();
    return lexer.tokens;
  }

  private void run() {
    while (pos < length) {
      char c = sql.charAt(pos);
      if (c <= ' ' || Character.isWhitespace(c) || Character.isISOControl(c)) {
        pos++;
      } else if (c == '-' && peek(1) == '-') {
        lineComment();
      } else if (c == '/' && peek(1) == '*') {
        if (!blockComment()) {
          return; // cut off inside a comment: the template ends here
        }
      } else if (c == '\'') {
        if (!string(pos + 1)) {
          return;
        }
      } else if ((c == 'n' || c == 'N') && peek(1) == '\'') {
        if (!string(pos + 2)) {
          return;
        }
      } else if ((c == 'q' || c == 'Q') && peek(1) == '\'') {
        if (!quotedString(pos + 2)) {
          return;
        }
      } else if ((c == 'n' || c == 'N') && (peek(1) == 'q' || peek(1) == 'Q') && peek(2) == '\'') {
        if (!quotedString(pos + 3)) {
          return;
        }
      } else if (c == '"') {
        quotedIdentifier();
      } else if (isDigit(c) || (c == '.' && isDigit(peek(1)))) {
        number();
      } else if (c == '-' && isDigit(peek(1)) && unaryPosition()) {
        pos++; // a unary minus directly in front of a number belongs to the literal
        number();
      } else if (c == ':' && peek(1) != '=' && peek(1) != ':') {
        bind();
      } else if (c == '?') {
        pos++;
        placeholder();
      } else if (isWordStart(c)) {
        word();
      } else {
        symbol();
      }
    }
  }

  private char peek(int ahead) {
    int at = pos + ahead;
    return at < length ? sql.charAt(at) : '\0';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isWordStart(char c) {
    return Character.isLetter(c) || c == '_' || c == '$' || c == '#';
  }

  private static boolean isWordPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '#';
  }

  private void lineComment() {
    int start = pos + 2;
    int end = sql.indexOf('\n', start);
    if (end < 0) {
      end = length;
    }
    if (start < length && sql.charAt(start) == '+') {
      hint(sql.substring(start + 1, end));
    }
    pos = end;
  }

  /** False when the comment is never closed. */
  private boolean blockComment() {
    int end = sql.indexOf("*/", pos + 2);
    if (end < 0) {
      pos = length;
      return false;
    }
    if (pos + 2 < length && sql.charAt(pos + 2) == '+') {
      hint(sql.substring(pos + 3, end));
    }
    pos = end + 2;
    return true;
  }

  private void hint(String body) {
    StringBuilder text = new StringBuilder(body.length() + 6).append("/*+ ");
    boolean space = false;
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        space = text.length() > 4;
      } else {
        if (space) {
          text.append(' ');
          space = false;
        }
        text.append(Character.toUpperCase(c));
      }
    }
    tokens.add(
        new Token(Token.Kind.HINT, text.append(text.length() > 4 ? " */" : "*/").toString()));
  }

  /** A '...' literal whose body starts at {@code from}; false when it is never closed. */
  private boolean string(int from) {
    int i = from;
    while (i < length) {
      if (sql.charAt(i) == '\'') {
        if (i + 1 < length && sql.charAt(i + 1) == '\'') {
          i += 2; // '' is an escaped quote
          continue;
        }
        pos = i + 1;
        literal();
        return true;
      }
      i++;
    }
    pos = length;
    placeholder();
    return false;
  }

  /** Oracle's alternative quoting q'X...X' with its delimiter at {@code from}. */
  private boolean quotedString(int from) {
    if (from >= length) {
      pos = length;
      placeholder();
      return false;
    }
    char open = sql.charAt(from);
    char close =
        switch (open) {
          case '[' -> ']';
          case '{' -> '}';
          case '<' -> '>';
          case '(' -> ')';
          default -> open;
        };
    int end = sql.indexOf(String.valueOf(close) + "'", from + 1);
    if (end < 0) {
      pos = length;
      placeholder();
      return false;
    }
    pos = end + 2;
    literal();
    return true;
  }

  private void quotedIdentifier() {
    int end = sql.indexOf('"', pos + 1);
    int stop = end < 0 ? length : end + 1;
    tokens.add(new Token(Token.Kind.QUOTED, sql.substring(pos, stop)));
    pos = stop;
  }

  private void number() {
    while (pos < length && isDigit(sql.charAt(pos))) {
      pos++;
    }
    if (pos < length && sql.charAt(pos) == '.' && peek(1) != '.') {
      pos++;
      while (pos < length && isDigit(sql.charAt(pos))) {
        pos++;
      }
    }
    if (pos < length
        && (sql.charAt(pos) == 'e' || sql.charAt(pos) == 'E')
        && (isDigit(peek(1)) || ((peek(1) == '+' || peek(1) == '-') && isDigit(peek(2))))) {
      pos += 2;
      while (pos < length && isDigit(sql.charAt(pos))) {
        pos++;
      }
    }
    // BINARY_FLOAT / BINARY_DOUBLE suffixes: 1.5f, 2d.
    if (pos < length
        && "fFdD".indexOf(sql.charAt(pos)) >= 0
        && !(pos + 1 < length && isWordPart(sql.charAt(pos + 1)))) {
      pos++;
    }
    placeholder();
  }

  /**
   * Whether a '-' here is a sign (after an operator, a keyword, '(' or ',') rather than a minus.
   */
  private boolean unaryPosition() {
    if (tokens.isEmpty()) {
      return true;
    }
    Token last = tokens.get(tokens.size() - 1);
    return switch (last.kind()) {
      case PLACEHOLDER, QUOTED -> false;
      case HINT -> true;
      case SYMBOL -> !last.text().equals(")");
      case WORD -> Keywords.isSignPosition(last.text());
    };
  }

  private void bind() {
    pos++;
    if (pos < length && sql.charAt(pos) == '"') {
      int end = sql.indexOf('"', pos + 1);
      pos = end < 0 ? length : end + 1;
    } else {
      while (pos < length && isWordPart(sql.charAt(pos))) {
        pos++;
      }
    }
    placeholder();
  }

  private void word() {
    int start = pos;
    while (pos < length && isWordPart(sql.charAt(pos))) {
      pos++;
    }
    tokens.add(new Token(Token.Kind.WORD, sql.substring(start, pos).toUpperCase(Locale.ROOT)));
  }

  private void symbol() {
    char c = sql.charAt(pos);
    char n = peek(1);
    String two = n == '\0' ? null : "" + c + n;
    if (two != null
        && (two.equals("<=")
            || two.equals(">=")
            || two.equals("<>")
            || two.equals("!=")
            || two.equals("^=")
            || two.equals("||")
            || two.equals(":=")
            || two.equals("=>")
            || two.equals("**")
            || two.equals("..")
            || two.equals("::"))) {
      tokens.add(new Token(Token.Kind.SYMBOL, two));
      pos += 2;
      return;
    }
    int cp = sql.codePointAt(pos);
    tokens.add(new Token(Token.Kind.SYMBOL, new String(Character.toChars(cp))));
    pos += Character.charCount(cp);
  }

  private void placeholder() {
    tokens.add(Token.PLACEHOLDER_TOKEN);
  }

  /**
   * A string literal just ended: DATE '...' and TIMESTAMP '...' are one literal, and INTERVAL '...'
   * swallows its units ({@code DAY TO SECOND}, precisions included).
   */
  private void literal() {
    Token last = tokens.isEmpty() ? null : tokens.get(tokens.size() - 1);
    if (last != null && (last.isWord("DATE") || last.isWord("TIMESTAMP"))) {
      tokens.remove(tokens.size() - 1);
    } else if (last != null && last.isWord("INTERVAL")) {
      tokens.remove(tokens.size() - 1);
      skipIntervalUnits();
    }
    placeholder();
  }

  private void skipIntervalUnits() {
    if (!skipUnit()) {
      return;
    }
    int save = pos;
    skipSpaces();
    if (matchWord("TO") && (skipSpaces() || true) && skipUnit()) {
      return;
    }
    pos = save;
  }

  /** Skips one interval unit with an optional precision; false when none follows. */
  private boolean skipUnit() {
    int save = pos;
    skipSpaces();
    for (String unit : new String[] {"YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"}) {
      if (matchWord(unit)) {
        int afterUnit = pos;
        skipSpaces();
        if (pos < length && sql.charAt(pos) == '(') {
          int close = sql.indexOf(')', pos);
          if (close > 0 && sql.substring(pos + 1, close).matches("\\s*\\d+\\s*(,\\s*\\d+\\s*)?")) {
            pos = close + 1;
            return true;
          }
        }
        pos = afterUnit;
        return true;
      }
    }
    pos = save;
    return false;
  }

  private boolean skipSpaces() {
    while (pos < length && Character.isWhitespace(sql.charAt(pos))) {
      pos++;
    }
    return true;
  }

  private boolean matchWord(String word) {
    int end = pos + word.length();
    if (end <= length
        && sql.regionMatches(true, pos, word, 0, word.length())
        && (end == length || !isWordPart(sql.charAt(end)))) {
      pos = end;
      return true;
    }
    return false;
  }
}
