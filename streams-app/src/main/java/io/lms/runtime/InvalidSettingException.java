package io.lms.runtime;

/**
 * A setting the operator got wrong. Its message is meant for the operator as it stands (it names
 * the setting, where it came from and the bad value), so it is printed without a stack trace.
 */
public final class InvalidSettingException extends IllegalArgumentException {
  public InvalidSettingException(String message) {
    super(message);
  }
}
