package io.lms.connect.converter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lms.registry.SchemaRegistryClient;
import io.lms.runtime.ApicurioRegistry;
import io.lms.schema.ChangeStatus;
import io.lms.schema.LeadCommand;
import io.lms.schema.LeadState;
import io.lms.schema.codec.ConfluentCodec;
import io.lms.schema.codec.SingleObjectCodec;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The converter with a real schema registry (Apicurio Registry, through Confluent's API): both framings, both ways. */
class LmsAvroConverterRegistryIT {
  static ApicurioRegistry registry;
  static SchemaRegistryClient client;

  @BeforeAll
  static void startRegistry() throws Exception {
    registry = ApicurioRegistry.start();
    client = new SchemaRegistryClient(URI.create(registry.confluentApi()), Optional.empty());
  }

  @AfterAll
  static void stopRegistry() throws InterruptedException {
    if (registry != null) {
      registry.close();
    }
  }

  private static LmsAvroConverter converter() {
    return LmsAvroConverterTest.converter(Map.of("lms.schema.registry.url", registry.confluentApi()));
  }

  @Test
  void readsWhatLmsWritesInEitherFramingAsTheSameConnectData() {
    LeadState lead = SampleRecords.lead();
    int id = client.register("sink.leads-value", LeadState.getClassSchema());
    LmsAvroConverter converter = converter();

    SchemaAndValue fromConfluent = converter.toConnectData("sink.leads", ConfluentCodec.of(LeadState.class, client).encode(lead, id));
    SchemaAndValue fromSingleObject = converter.toConnectData("sink.leads", SingleObjectCodec.of(LeadState.class).encode(lead));

    assertThat(fromConfluent).isEqualTo(fromSingleObject);
  }

  @Test
  void writesConfluentFramingWithTheIdOfTheCurrentSchemaUnderTheTopicsSubject() {
    LmsAvroConverter converter = converter();
    String json = """
        {"commandId": "crm-1:0001", "org": "acme", "actorId": 7, "kind": "ChangeStatus", "leadId": 12,
         "body": {"status": "LOST", "reasonId": 2}}""";

    byte[] first = converter.fromConnectData("outbox.lead-commands", Schema.STRING_SCHEMA, json);
    byte[] second = converter.fromConnectData("outbox.lead-commands", Schema.STRING_SCHEMA, json);

    int registered = client.register("outbox.lead-commands-value", LeadCommand.getClassSchema());
    assertThat(ConfluentCodec.schemaIdOf(first)).isEqualTo(registered);
    assertThat(second).isEqualTo(first);
    // Read back by a reader that knows only the registry.
    var reader = ConfluentCodec.of(LeadCommand.class, new SchemaRegistryClient(URI.create(registry.confluentApi()), Optional.empty()));
    assertThat(reader.decode(first)).isEqualTo(new LeadCommand("crm-1:0001", "acme", 7L, SampleRecords.AT,
        new ChangeStatus(12L, "LOST", null, 2L, null, null)));
  }

  @Test
  void anUnknownIdIsBadDataAndARegistryThatDoesNotAnswerIsRetriable() {
    byte[] unknown = ConfluentCodec.of(LeadState.class, client).encode(SampleRecords.lead(), Integer.MAX_VALUE);

    assertThatThrownBy(() -> converter().toConnectData("sink.leads", unknown))
        .isInstanceOf(DataException.class).hasMessageContaining("no schema with id " + Integer.MAX_VALUE);
    LmsAvroConverter unreachable = LmsAvroConverterTest.converter(Map.of("lms.schema.registry.url", "http://127.0.0.1:1"));
    assertThatThrownBy(() -> unreachable.toConnectData("sink.leads", unknown))
        .isInstanceOf(RetriableException.class).hasMessageContaining("http://127.0.0.1:1 did not answer");
  }
}
