package io.lms.topology;

/**
 * A command failed after some of its writes were made. Its writes are in the stores and in the
 * producer's open transaction, so it must not take the dead-letter path, which would let them
 * commit: {@link LmsProcessingExceptionHandler} fails the stream thread instead, which aborts the
 * transaction and drops the stores' uncommitted writes, and the command is applied again, whole or
 * not at all, by the thread that replaces it.
 */
public final class HalfAppliedCommandException extends RuntimeException {
  public HalfAppliedCommandException(String origin, int writes, RuntimeException cause) {
    super(origin + " failed after " + writes + " of its writes had begun; its transaction is aborted so that none"
        + " of them is kept: " + cause, cause);
  }
}
