package io.lms.topology;

import io.lms.domain.Decision;

/**
 * Called before each write a decision makes (a store put, a record sent), so that a test can fail
 * a command part-way, the way a full disk, a store error or a serializer can. {@link #NONE} outside
 * tests.
 */
@FunctionalInterface
public interface WriteFault {
  WriteFault NONE = (decision, write) -> {};

  /**
   * @param decision what is being written
   * @param write the write about to be made, counted from 1 for each decision
   */
  void beforeWrite(Decision decision, int write);
}
