package io.lms.bench;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.Topology;

/**
 * The floor of any Streams app on this broker: every record copied from the input to the output
 * as bytes, with no decoding and no state. What is left is the cost of consuming, producing and
 * committing transactions.
 */
final class PassThroughTopology {
  private PassThroughTopology() {}

  static Topology build(String input, String output) {
    Topology topology = new Topology();
    topology.addSource("pass-through-source", new ByteArrayDeserializer(), new ByteArrayDeserializer(), input);
    topology.addSink("pass-through-sink", output, new ByteArraySerializer(), new ByteArraySerializer(),
        "pass-through-source");
    return topology;
  }
}
