package io.iris.platform;

import java.util.ArrayList;
import java.util.List;

/**
 * What went wrong, in one line: client libraries wrap the server's answer in several exceptions,
 * and the useful words are spread over the chain.
 */
public final class CauseMessages {
  private CauseMessages() {}

  /** The messages of {@code e} and its causes joined by ": ", each once. */
  public static String of(Throwable e) {
    List<String> messages = new ArrayList<>();
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      if (messages.stream().noneMatch(m -> m.contains(message))) {
        messages.add(message);
      }
    }
    return String.join(": ", messages);
  }
}
