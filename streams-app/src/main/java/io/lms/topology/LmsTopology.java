package io.lms.topology;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;

/** Builds the LMS topology: a pure function of its topics and settings. */
public final class LmsTopology {
  private LmsTopology() {}

  public static Topology build(LmsTopics topics, TopologySettings settings) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(topics.commands().name(), topics.commands().consumed("lead-commands-source"));
    return builder.build();
  }
}
