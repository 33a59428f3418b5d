package io.lms.query;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A count of Kafka Streams' state changes, fed by the application's state listener. A task can
 * leave or join this instance only in a rebalance, and every rebalance takes Kafka Streams from
 * RUNNING to REBALANCING: what was looked up while RUNNING stays true as long as the count does.
 */
public final class StreamsStateChanges {
  private final AtomicLong count = new AtomicLong();

  /** To be called by the {@code KafkaStreams.StateListener}, at every change of state. */
  public void changed() {
    count.incrementAndGet();
  }

  long count() {
    return count.get();
  }
}
