package io.lms.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lms.schema.CommandResult;
import io.lms.schema.LeadCommand;
import io.lms.schema.LeadEvent;
import io.lms.schema.LeadState;
import io.lms.schema.Reason;
import io.lms.schema.SubStatus;
import io.lms.schema.codec.CodecException;
import io.lms.schema.codec.ConfluentCodec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The topology with its topics in Confluent's framing, as with a schema registry: every output
 * topic carries the id its schema was registered under, the state stores (and so their changelogs)
 * keep single-object encoding. The ids here stand for what a registry answered; a real one is
 * asked in {@code SchemaRegistryIT}.
 */
class ConfluentFramedTopicsTest {
  private final Map<String, Integer> ids = new HashMap<>();
  private final Map<Integer, Schema> schemas = new HashMap<>();
  private final TopologyFixture lms;
  private final Commands acme = new Commands("acme");

  ConfluentFramedTopicsTest() {
    LmsTopics plain = LmsTopics.defaults();
    int next = 100;
    for (var topic : plain.valueSchemas().entrySet()) {
      ids.put(topic.getKey(), next);
      schemas.put(next++, topic.getValue());
    }
    ConfluentCodec.WriterSchemas lookup = id -> {
      Schema schema = schemas.get(id);
      if (schema == null) {
        throw new CodecException("no schema has id " + id);
      }
      return schema;
    };
    lms = new TopologyFixture(plain.inConfluentFraming(ids, lookup), TopologySettings.defaults(), new Properties());
  }

  @AfterEach
  void close() {
    lms.close();
  }

  @Test
  void writesEveryOutputTopicInConfluentFramingWithItsOwnId() {
    byte[] command = ConfluentCodec.of(LeadCommand.class, ConfluentCodec.NO_REGISTRY)
        .encode(acme.reasons("Bought elsewhere"), ids.get("lms.lead-commands"));
    lms.rawCommands.pipeInput("acme", command);
    lms.rawCommands.pipeInput("acme", framed(LeadCommand.class, "lms.lead-commands", acme.subStatus("OPEN", "Fresh")));
    lms.rawCommands.pipeInput("acme", framed(LeadCommand.class, "lms.lead-commands", acme.create(Commands.lead("a@example.com"))));

    assertThat(read("lms.command-results", CommandResult.class)).hasSize(3)
        .allSatisfy(result -> assertThat(result.getOutcome()).isNotInstanceOf(io.lms.schema.Rejected.class));
    assertThat(read("lms.lead-events", LeadEvent.class)).hasSizeGreaterThanOrEqualTo(3);
    assertThat(read("lms.leads", LeadState.class)).singleElement()
        .satisfies(lead -> assertThat(lead.getUserId()).isPositive());
    assertThat(read("lms.reasons", Reason.class)).extracting(Reason::getReason).containsExactly("Bought elsewhere");
    assertThat(read("lms.substatuses", SubStatus.class)).singleElement();
  }

  @Test
  void theStoresAndTheirChangelogsKeepSingleObjectEncoding() {
    lms.rawCommands.pipeInput("acme", framed(LeadCommand.class, "lms.lead-commands", acme.create(Commands.lead("a@example.com"))));

    var changelog = lms.driver.createOutputTopic("lms-test-" + StoreNames.LEADS + "-changelog",
        new StringDeserializer(), new ByteArrayDeserializer()).readValuesToList();
    assertThat(changelog).isNotEmpty().allSatisfy(bytes -> assertThat(bytes[0]).isEqualTo((byte) 0xC3));
    assertThat(lms.storedLead("acme", 1L)).isNotNull();
  }

  @Test
  void theTopicsSerdesReadWhatTheyWriteAndSingleObjectEncodingToo() {
    LeadCommand command = acme.reasons("r");
    var serde = lms.topics.commands().valueSerde();

    byte[] bytes = serde.serializer().serialize("lms.lead-commands", command);

    assertThat(bytes[0]).isZero();
    assertThat(ConfluentCodec.schemaIdOf(bytes)).isEqualTo(ids.get("lms.lead-commands"));
    assertThat(serde.deserializer().deserialize("lms.lead-commands", bytes)).isEqualTo(command);
    assertThat(serde.deserializer().deserialize("lms.lead-commands",
        LmsTopics.defaults().commands().valueSerde().serializer().serialize("lms.lead-commands", command))).isEqualTo(command);
  }

  @Test
  void topicsInConfluentFramingAreNotFramedTwice() {
    assertThatThrownBy(() -> lms.topics.inConfluentFraming(ids, ConfluentCodec.NO_REGISTRY))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already");
    assertThatThrownBy(() -> LmsTopics.defaults().inConfluentFraming(Map.of(), ConfluentCodec.NO_REGISTRY))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("No schema id for lms.lead-commands");
  }

  /** Every value of {@code topic}, checked to carry the topic's id and decoded by a codec of its own. */
  private <T extends SpecificRecord> List<T> read(String topic, Class<T> type) {
    ConfluentCodec<T> codec = ConfluentCodec.of(type, schemas::get);
    return lms.driver.createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer()).readValuesToList()
        .stream()
        .peek(bytes -> assertThat(ConfluentCodec.schemaIdOf(bytes)).as("schema id on %s", topic).isEqualTo(ids.get(topic)))
        .map(codec::decode)
        .toList();
  }

  private <T extends SpecificRecord> byte[] framed(Class<T> type, String topic, T record) {
    return ConfluentCodec.of(type, ConfluentCodec.NO_REGISTRY).encode(record, ids.get(topic));
  }
}
