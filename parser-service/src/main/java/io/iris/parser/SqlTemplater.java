package io.iris.parser;

import io.iris.parser.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns any SQL text into its template (TEMPLATING.md, version t1): the lexer's tokens, lists of
 * placeholders collapsed, spaced by fixed rules, trailing {@code ;} and {@code /} removed.
 */
public final class SqlTemplater {
  private SqlTemplater() {}

  /** The template of {@code sql}; never fails. */
  public static SqlTemplate template(String sql) {
    List<Token> tokens = collapseLists(SqlLexer.tokenize(sql));
    while (!tokens.isEmpty()
        && (tokens.get(tokens.size() - 1).is(";") || tokens.get(tokens.size() - 1).is("/"))) {
      tokens.remove(tokens.size() - 1);
    }
    String text = render(tokens);
    return new SqlTemplate(SqlTemplate.idOf(text), text, List.copyOf(tokens));
  }

  /** The normalized text of {@code tokens}, one space between tokens but where rule 5 says none. */
  static String render(List<Token> tokens) {
    StringBuilder out = new StringBuilder(tokens.size() * 6);
    Token previous = null;
    for (Token token : tokens) {
      if (previous != null && spaceBetween(previous, token)) {
        out.append(' ');
      }
      out.append(token.text());
      previous = token;
    }
    return out.toString();
  }

  private static boolean spaceBetween(Token left, Token right) {
    if (left.is("(") || left.is(".") || left.is("@")) {
      return false;
    }
    if (right.is(")") || right.is(",") || right.is(";") || right.is(".") || right.is("@")) {
      return false;
    }
    if (right.is("(")) {
      // A name and its '(' stay together (COUNT(*), T(A, B)); a reserved word keeps its space (IN
      // (?)).
      return !((left.kind() == Kind.WORD && !Keywords.RESERVED.contains(left.text()))
          || left.kind() == Kind.QUOTED);
    }
    return true;
  }

  /**
   * IN-lists of placeholders become {@code IN (?)}; a list of placeholder tuples becomes one tuple;
   * repeated identical VALUES rows become one row. Mixed lists are kept.
   */
  static List<Token> collapseLists(List<Token> tokens) {
    List<Token> out = new ArrayList<>(tokens.size());
    int i = 0;
    while (i < tokens.size()) {
      Token token = tokens.get(i);
      out.add(token);
      i++;
      if (token.isWord("IN") && i < tokens.size() && tokens.get(i).is("(")) {
        i = collapseInList(tokens, i, out);
      } else if (token.isWord("VALUES") && i < tokens.size() && tokens.get(i).is("(")) {
        i = collapseValues(tokens, i, out);
      }
    }
    return out;
  }

  /** At '(' of an IN-list; appends the collapsed list (or nothing) and returns where to go on. */
  private static int collapseInList(List<Token> tokens, int open, List<Token> out) {
    int close = matching(tokens, open);
    if (close < 0) {
      return open;
    }
    List<List<Token>> elements = split(tokens, open + 1, close);
    if (elements.isEmpty()) {
      return open;
    }
    boolean scalars =
        elements.stream().allMatch(e -> e.size() == 1 && e.get(0).kind() == Kind.PLACEHOLDER);
    if (scalars) {
      out.add(tokens.get(open));
      out.add(Token.PLACEHOLDER_TOKEN);
      out.add(tokens.get(close));
      return close + 1;
    }
    List<Token> first = elements.get(0);
    boolean tuples = elements.stream().allMatch(e -> isPlaceholderTuple(e) && e.equals(first));
    if (tuples) {
      out.add(tokens.get(open));
      out.addAll(first);
      out.add(tokens.get(close));
      return close + 1;
    }
    return open;
  }

  /** At '(' after VALUES: identical consecutive rows become one. */
  private static int collapseValues(List<Token> tokens, int open, List<Token> out) {
    int close = matching(tokens, open);
    if (close < 0) {
      return open;
    }
    List<Token> row = tokens.subList(open, close + 1);
    int next = close + 1;
    while (next + 1 < tokens.size() && tokens.get(next).is(",") && tokens.get(next + 1).is("(")) {
      int rowClose = matching(tokens, next + 1);
      if (rowClose < 0 || !tokens.subList(next + 1, rowClose + 1).equals(row)) {
        break;
      }
      next = rowClose + 1;
    }
    out.addAll(row);
    return next;
  }

  private static boolean isPlaceholderTuple(List<Token> element) {
    if (element.size() < 3 || !element.get(0).is("(") || !element.get(element.size() - 1).is(")")) {
      return false;
    }
    for (int i = 1; i < element.size() - 1; i++) {
      Token t = element.get(i);
      boolean expected = i % 2 == 1 ? t.kind() == Kind.PLACEHOLDER : t.is(",");
      if (!expected) {
        return false;
      }
    }
    return true;
  }

  /** Elements between {@code from} and {@code to} (exclusive) split at top-level commas. */
  private static List<List<Token>> split(List<Token> tokens, int from, int to) {
    List<List<Token>> elements = new ArrayList<>();
    int depth = 0;
    int start = from;
    for (int i = from; i < to; i++) {
      Token t = tokens.get(i);
      if (t.is("(")) {
        depth++;
      } else if (t.is(")")) {
        depth--;
      } else if (t.is(",") && depth == 0) {
        elements.add(tokens.subList(start, i));
        start = i + 1;
      }
    }
    if (start < to) {
      elements.add(tokens.subList(start, to));
    }
    return elements;
  }

  /** Index of the ')' matching the '(' at {@code open}, or -1. */
  static int matching(List<Token> tokens, int open) {
    int depth = 0;
    for (int i = open; i < tokens.size(); i++) {
      if (tokens.get(i).is("(")) {
        depth++;
      } else if (tokens.get(i).is(")") && --depth == 0) {
        return i;
      }
    }
    return -1;
  }
}
