package io.lms.connect.converter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lms.schema.ChangeStatus;
import io.lms.schema.CommandResult;
import io.lms.schema.CreateLead;
import io.lms.schema.LeadCommand;
import io.lms.schema.LeadEvent;
import io.lms.schema.LeadState;
import io.lms.schema.codec.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class LmsAvroConverterTest {
  static final Clock CLOCK = Clock.fixed(SampleRecords.AT, ZoneOffset.UTC);

  static LmsAvroConverter converter(Map<String, String> config) {
    LmsAvroConverter converter = new LmsAvroConverter(CLOCK);
    converter.configure(config, false);
    return converter;
  }

  static <T extends SpecificRecord> void assertRoundTrip(String topic, Class<T> type, List<T> records) {
    SingleObjectCodec<T> codec = SingleObjectCodec.of(type);
    LmsAvroConverter converter = converter(Map.of());
    for (T record : records) {
      SchemaAndValue data = converter.toConnectData(topic, codec.encode(record));
      assertThat(data.value()).isInstanceOf(Struct.class);
      ((Struct) data.value()).validate();
      byte[] back = converter.fromConnectData(topic, data.schema(), data.value());
      assertThat(codec.decode(back)).isEqualTo(record);
    }
  }

  @Test
  void everyLmsRecordSurvivesTheTripToConnectDataAndBack() {
    assertRoundTrip("lms.lead-commands", LeadCommand.class, SampleRecords.commands());
    assertRoundTrip("lms.lead-events", LeadEvent.class, SampleRecords.events());
    assertRoundTrip("lms.leads", LeadState.class, List.of(SampleRecords.lead()));
    assertRoundTrip("lms.command-results", CommandResult.class, SampleRecords.results());
  }

  @Test
  void showsEnumsAsStringsTimesAsTimestampsAndUnionsAsOneFieldPerBranch() {
    LmsAvroConverter converter = converter(Map.of());
    LeadEvent created = SampleRecords.events().get(1);

    Struct event = (Struct) converter.toConnectData("lms.lead-events",
        SingleObjectCodec.of(LeadEvent.class).encode(created)).value();

    assertThat(event.get("occurredAt")).isEqualTo(Date.from(SampleRecords.AT));
    Struct payload = event.getStruct("payload");
    assertThat(payload.schema().fields()).extracting(f -> f.name())
        .contains("io.lms.schema.LeadCreated", "io.lms.schema.StatusChanged", "io.lms.schema.CustomerRegistered");
    assertThat(payload.get("io.lms.schema.StatusChanged")).isNull();
    Struct lead = payload.getStruct("io.lms.schema.LeadCreated").getStruct("lead");
    assertThat(lead.get("status")).isEqualTo("ON_HOLD");
    assertThat(lead.getMap("extendedFields")).containsEntry("trial_status", "Not Done");
    assertThat(lead.getArray("statusLogDetails")).hasSize(2);
    assertThat(lead.get("lastFollowUp")).isNull();
    assertThat(event.schema().field("leadId").schema().isOptional()).isTrue();
  }

  @Test
  void theRecordTypeFollowsTheTopicNameWhateverThePrefix() {
    LmsAvroConverter converter = converter(Map.of());
    byte[] lead = SingleObjectCodec.of(LeadState.class).encode(SampleRecords.lead());

    assertThat(converter.toConnectData("it.tenant-3.leads", lead).schema().name()).isEqualTo("io.lms.schema.LeadState");
    assertThat(converter.schemaFor("prod-lms-lead-events").name()).isEqualTo("io.lms.schema.LeadEvent");
    assertThatThrownBy(() -> converter.toConnectData("lms.lead-commands-dlq", lead))
        .isInstanceOf(DataException.class).hasMessageContaining("value.converter.lms.record");
  }

  @Test
  void aConfiguredRecordTypeWinsOverTheTopicName() {
    LmsAvroConverter converter = converter(Map.of("lms.record", "io.lms.schema.LeadState"));

    SchemaAndValue data = converter.toConnectData("analytics-copy",
        SingleObjectCodec.of(LeadState.class).encode(SampleRecords.lead()));

    assertThat(data.schema().name()).isEqualTo("io.lms.schema.LeadState");
  }

  @Test
  void refusesBytesThatAreNotTheRecordAndKeepsTombstones() {
    LmsAvroConverter converter = converter(Map.of("lms.record", "io.lms.schema.LeadState"));
    byte[] event = SingleObjectCodec.of(LeadEvent.class).encode(SampleRecords.events().get(0));

    assertThatThrownBy(() -> converter.toConnectData("lms.leads", "not avro".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(DataException.class).hasMessageContaining("Cannot decode LeadState");
    assertThatThrownBy(() -> converter.toConnectData("lms.leads", event))
        .isInstanceOf(DataException.class).hasMessageContaining("Cannot decode LeadState");
    assertThat(converter.toConnectData("lms.leads", null)).isEqualTo(SchemaAndValue.NULL);
    assertThat(converter.fromConnectData("lms.leads", null, null)).isNull();
  }

  @Test
  void refusesBadConfiguration() {
    assertThatThrownBy(() -> converter(Map.of("lms.record", "java.lang.String")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("io.lms.schema");
    assertThatThrownBy(() -> converter(Map.of("lms.record", "io.lms.schema.Nope")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("no such LMS record class");
    assertThatThrownBy(() -> new LmsAvroConverter().configure(Map.of(), true))
        .isInstanceOf(ConfigException.class).hasMessageContaining("StringConverter");
  }

  @Test
  void encodesAnOutboxCommandGivenAsJsonTextWithTheApiBodyInside() {
    LmsAvroConverter converter = converter(Map.of("lms.record", "io.lms.schema.LeadCommand"));
    String json = """
        {"commandId": "crm-1:0001", "org": "acme", "actorId": 7, "kind": "ChangeStatus", "leadId": 12,
         "body": {"status": "LOST", "reasonId": 2}}""";

    byte[] bytes = converter.fromConnectData("lms.lead-commands", Schema.STRING_SCHEMA, json);

    LeadCommand command = SingleObjectCodec.of(LeadCommand.class).decode(bytes);
    assertThat(command).isEqualTo(new LeadCommand("crm-1:0001", "acme", 7L, SampleRecords.AT,
        new ChangeStatus(12L, "LOST", null, 2L, null, null)));
  }

  @Test
  void anOutboxBodyTheApiWouldRefuseIsRefusedWithTheApisCode() {
    LmsAvroConverter converter = converter(Map.of());
    String json = """
        {"commandId": "crm-1:0002", "org": "acme", "actorId": 7, "kind": "CreateLead",
         "body": {"leadFor": "item001", "id": 99}}""";

    assertThatThrownBy(() -> converter.fromConnectData("lms.lead-commands", Schema.STRING_SCHEMA, json))
        .isInstanceOf(DataException.class).hasMessageContaining("crm-1:0002").hasMessageContaining("93002");
  }

  @Test
  void aStructFromAnotherSourceIsEncodedWhenItHasTheRecordsShape() {
    LmsAvroConverter converter = converter(Map.of());
    LeadCommand command = new LeadCommand("c9", "acme", 7L, SampleRecords.AT,
        CreateLead.newBuilder().setLeadFor("item9").setUserId(3L).build());
    Schema schema = converter.schemaFor("lms.lead-commands");
    Struct payload = new Struct(schema.field("payload").schema());
    Schema createLead = schema.field("payload").schema().field("io.lms.schema.CreateLead").schema();
    Struct create = new Struct(createLead).put("leadFor", "item9").put("userId", 3L)
        .put("extendedFields", Map.of()).put("followUpDetails", List.of()).put("statusLogDetails", List.of());
    payload.put("io.lms.schema.CreateLead", create);
    Struct value = new Struct(schema).put("commandId", "c9").put("orgId", "acme").put("actorId", 7L)
        .put("issuedAt", Date.from(SampleRecords.AT)).put("payload", payload);

    byte[] bytes = converter.fromConnectData("lms.lead-commands", schema, value);

    assertThat(SingleObjectCodec.of(LeadCommand.class).decode(bytes)).isEqualTo(command);
  }

  @Test
  void withoutARegistryAConfluentFramedValueIsRefusedSayingWhy() {
    byte[] framed = io.lms.schema.codec.ConfluentCodec.of(LeadState.class, io.lms.schema.codec.ConfluentCodec.NO_REGISTRY)
        .encode(SampleRecords.lead(), 4);

    assertThatThrownBy(() -> converter(Map.of()).toConnectData("lms.leads", framed))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("Topic lms.leads")
        .hasMessageContaining("schema id 4, and no schema registry is configured");
  }

  @Test
  void aRegistryLoginNeedsBothHalvesAndTheRegistry() {
    assertThatThrownBy(() -> converter(Map.of("lms.schema.registry.url", "http://sr:8081", "lms.schema.registry.user", "lms")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("set both or neither");
    assertThatThrownBy(() -> converter(Map.of("lms.schema.registry.user", "lms", "lms.schema.registry.password", "pw-1")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("without the registry's URL")
        .hasMessageNotContaining("pw-1");
    assertThatThrownBy(() -> converter(Map.of("lms.schema.registry.url", "sr:8081")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("lms.schema.registry.url");
  }
}
