package io.lms.domain;

import io.lms.schema.IdType;
import java.util.Locale;

/**
 * Normalises customer identifiers so that one person always resolves to one userId: emails compare
 * case-insensitively, mobiles by their digits alone.
 */
public final class CustomerIdentifiers {
  private CustomerIdentifiers() {}

  /**
   * @throws Rejection 93003 when the identifier cannot be an identifier of that type
   */
  public static String normalise(IdType type, String identifier) {
    String trimmed = identifier.trim();
    return switch (type) {
      case EMAIL -> {
        int at = trimmed.indexOf('@');
        if (at <= 0 || at == trimmed.length() - 1 || trimmed.chars().anyMatch(Character::isWhitespace)) {
          throw new Rejection(ErrorCode.INVALID_VALUE, "identifier", identifier);
        }
        yield trimmed.toLowerCase(Locale.ROOT);
      }
      case MOBILE -> {
        StringBuilder digits = new StringBuilder(trimmed.length());
        for (int i = 0; i < trimmed.length(); i++) {
          char c = trimmed.charAt(i);
          if (c >= '0' && c <= '9') {
            digits.append(c);
          } else if (c != '+' && c != ' ' && c != '-' && c != '(' && c != ')' && c != '.') {
            throw new Rejection(ErrorCode.INVALID_VALUE, "identifier", identifier);
          }
        }
        if (digits.length() < 5 || digits.length() > 15) {
          throw new Rejection(ErrorCode.INVALID_VALUE, "identifier", identifier);
        }
        yield digits.toString();
      }
    };
  }
}
