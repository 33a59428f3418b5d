package io.lms.chaos;

/** A process, or an instance made of one, that SIGKILL ends. */
interface Killable {
  void kill() throws InterruptedException;

  /** Kills each in turn, going on past one that fails: for clean-ups, which must never throw. */
  static void killEach(Iterable<? extends Killable> targets) {
    for (Killable target : targets) {
      try {
        target.kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        // go on killing the others
      }
    }
  }
}
