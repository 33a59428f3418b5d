package io.lms.bench;

import io.lms.schema.LeadCommand;
import io.lms.schema.LeadEvent;
import io.lms.schema.LeadState;
import io.lms.topology.AvroSerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The reference the full LMS topology is held against: what any lead processor must do per
 * command, and nothing more. Decode the command, read the lead from RocksDB, write it back, emit
 * one event: one store get, one store put (plus its changelog record), one output record.
 *
 * <pre>
 * commands ─► minimal-lead-processor ─► events
 *               (minimal-leads-store: RocksDB, logged, not cached)
 * </pre>
 */
final class MinimalLeadTopology {
  static final String STORE = "minimal-leads-store";
  static final String SOURCE = "minimal-commands-source";
  static final String PROCESSOR = "minimal-lead-processor";
  static final String SINK = "minimal-events-sink";

  private MinimalLeadTopology() {}

  static Topology build(String commands, String events) {
    Topology topology = new Topology();
    topology.addSource(SOURCE, new StringDeserializer(),
        AvroSerde.rejectingNulls(LeadCommand.class).deserializer(), commands);
    topology.addProcessor(PROCESSOR, MinimalLeadProcessor::new, SOURCE);
    // No cache: the point is one RocksDB get and one put per command.
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(STORE), Serdes.String(), new AvroSerde<>(LeadState.class)),
        PROCESSOR);
    topology.addSink(SINK, events, new StringSerializer(), new AvroSerde<>(LeadEvent.class).serializer(), PROCESSOR);
    return topology;
  }
}
