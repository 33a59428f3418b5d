package io.lms.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.schema.ChangeStatus;
import io.lms.schema.LeadCommand;
import io.lms.schema.LeadEvent;
import io.lms.schema.LeadState;
import io.lms.schema.StatusChanged;
import io.lms.schema.codec.SingleObjectCodec;
import io.lms.topology.AvroSerde;
import io.lms.topology.StoreKeys;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MinimalLeadTopologyTest {

  @Test
  void emitsOneEventPerCommandAndKeepsLeadsOfAboutEightHundredBytes(@TempDir Path stateDir) {
    var mix = new CommandMix(42, 5);
    try (var driver = new TopologyTestDriver(MinimalLeadTopology.build("commands", "events"),
        CommandMixTest.props(stateDir))) {
      var input = driver.createInputTopic("commands", new StringSerializer(),
          AvroSerde.rejectingNulls(LeadCommand.class).serializer());
      var output = driver.createOutputTopic("events", new StringDeserializer(),
          new AvroSerde<>(LeadEvent.class).deserializer());
      LeadCommand statusChange = null;
      for (int i = 0; i < 2_000; i++) {
        LeadCommand command = mix.next();
        input.pipeInput(command.getOrgId(), command);
        if (command.getPayload() instanceof ChangeStatus) {
          statusChange = command;
        }
      }

      List<LeadEvent> events = output.readValuesToList();
      assertThat(events).hasSize(2_000);
      assertThat(events).extracting(LeadEvent::getEventId).doesNotHaveDuplicates();

      KeyValueStore<String, LeadState> leads = driver.getKeyValueStore(MinimalLeadTopology.STORE);
      var change = (ChangeStatus) statusChange.getPayload();
      LeadState changed = leads.get(StoreKeys.lead(statusChange.getOrgId(), change.getLeadId()));
      assertThat(changed.getStatus().name()).isEqualTo(change.getStatus());
      assertThat(events.get(events.size() - 1).getPayload()).isNotNull();
      assertThat(events.stream().filter(e -> e.getPayload() instanceof StatusChanged)).isNotEmpty();

      var codec = SingleObjectCodec.of(LeadState.class);
      double averageBytes = 0;
      int count = 0;
      try (var all = leads.all()) {
        while (all.hasNext()) {
          averageBytes += codec.encode(all.next().value).length;
          count++;
        }
      }
      assertThat(averageBytes / count).isBetween(650.0, 950.0);
    }
  }
}
