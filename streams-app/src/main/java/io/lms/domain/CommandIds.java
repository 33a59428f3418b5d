package io.lms.domain;

/**
 * The rule for a commandId, whoever makes it: an HTTP client's {@code Idempotency-Key}, an upstream
 * producer, an import's {@code <file>:<line>}. Visible ASCII ({@code !} to {@code ~}), 1 to
 * {@value #MAX_LENGTH} characters: what Stripe and most APIs accept ({@code crm/tom@example.com},
 * a UUID, {@code till-7:0001}), and nothing that a header, a log line or a terminal could take for
 * something else (no space, no control character, nothing beyond ASCII).
 */
public final class CommandIds {
  public static final int MAX_LENGTH = 255;
  /** What to tell a caller whose id breaks the rule. */
  public static final String RULE = "1 to " + MAX_LENGTH + " visible ASCII characters ('!' to '~', no space)";

  private CommandIds() {}

  public static boolean isValid(String commandId) {
    if (commandId == null || commandId.isEmpty() || commandId.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < commandId.length(); i++) {
      char c = commandId.charAt(i);
      if (c < '!' || c > '~') {
        return false;
      }
    }
    return true;
  }
}
