package io.lms.domain;

/**
 * Runs every step even when one fails, then throws the first failure with the later ones
 * suppressed in it: how resources are closed, so that one that fails to close leaves none of the
 * others open.
 */
public final class RunAll {
  private RunAll() {}

  public static void run(Iterable<? extends Runnable> steps) {
    RuntimeException failure = null;
    for (Runnable step : steps) {
      try {
        step.run();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
