package io.lms.topology;

/**
 * Tells the topology's first processor (the router) when to ask Kafka Streams for a commit before
 * the commit interval is up: after the last record its partition holds, as far as the stream
 * thread knows. A caller awaiting the result of a lone command then waits for one commit, not for
 * the rest of the interval and one. Under load, where a partition keeps getting records, commits stay as far
 * apart as the interval makes them.
 */
@FunctionalInterface
public interface DrainedInput {
  /** Never: commits come at the commit interval alone. */
  DrainedInput NEVER = (topic, partition, offset) -> false;

  /**
   * Called on the stream thread that processed the record, after it did.
   *
   * @return true to commit now
   */
  boolean commitAfter(String topic, int partition, long offset);
}
