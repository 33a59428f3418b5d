package io.lms.domain;

import io.lms.schema.ApiError;
import java.util.List;

/**
 * A command broke a rule: it changes nothing and its result carries these errors. Thrown inside
 * the domain to leave a decision at the first broken rule; never escapes {@link CommandHandler}.
 */
public final class Rejection extends RuntimeException {
  private final transient List<ApiError> errors;

  public Rejection(ErrorCode code, Object... args) {
    this(List.of(code.error(args)));
  }

  public Rejection(List<ApiError> errors) {
    super(errors.isEmpty() ? "rejected" : errors.get(0).getMessage(), null, false, false);
    this.errors = List.copyOf(errors);
  }

  public List<ApiError> errors() {
    return errors;
  }
}
