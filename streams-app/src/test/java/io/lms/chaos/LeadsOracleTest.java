package io.lms.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lms.chaos.LeadsOracle.Accepted;
import io.lms.chaos.LeadsOracle.Outcome;
import io.lms.chaos.LeadsOracle.OutsideModelException;
import io.lms.chaos.LeadsOracle.Rejected;
import io.lms.schema.ChangeStatus;
import io.lms.schema.ConfigureReasons;
import io.lms.schema.CreateLead;
import io.lms.schema.CreateSubStatus;
import io.lms.schema.FollowUpInput;
import io.lms.schema.LeadCommand;
import io.lms.schema.RecordFollowUp;
import io.lms.schema.StatusLogInput;
import io.lms.schema.UpdateLead;
import io.lms.schema.codec.SingleObjectCodec;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The oracle against the samples of {@code leads-api-v2.md} (request, then the response it shows,
 * where the sample's data can be reproduced) and the rulings of {@code leads-api-notes.md}.
 */
class LeadsOracleTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ZoneOffset IST = ZoneOffset.ofHoursMinutes(5, 30);
  private static final String ORG = "org-a";
  private static final long STAFF = 15002926L;

  /** "Configure Lead Reasons" response and "Get Reasons" sample: the same list. */
  private static final String REASONS_SAMPLE = """
      {"data": [{"id": 1, "reason": "Item not available in store"},
                {"id": 2, "reason": "Best price availabe at another store"},
                {"id": 3, "reason": "Interested in our brand products"}],
       "warnings": [], "errors": []}""";

  private static final String ADD_LEAD_RESPONSE = """
      {"id": 1, "userId": 368754334, "type": "SKU", "leadFor": "item001", "status": "ON_HOLD",
       "nextFollowUp": "2018-10-05T08:00:00+05:30", "createdOn": "2018-10-04T13:30:00+05:30", "createdBy": 28812689,
       "lastUpdatedOn": "2018-11-14T15:38:04+05:30", "lastUpdatedBy": 15002926,
       "followUpDetails": [
         {"id": 1, "userId": 368754334, "leadId": 1, "notes": "notes 1", "createdBy": 15002926,
          "createdOn": "2018-11-14T15:38:04+05:30", "followedUpBy": 28812689,
          "followedUpOn": "2018-10-04T12:45:00+05:30", "scheduledFollowUp": "2018-10-04T12:30:00+05:30"},
         {"id": 2, "userId": 368754334, "leadId": 1, "notes": "notes 2", "createdBy": 15002926,
          "createdOn": "2018-11-14T15:38:04+05:30", "followedUpBy": 28812689,
          "followedUpOn": "2018-10-04T12:45:00+05:30", "scheduledFollowUp": "2018-10-04T12:30:00+05:30"}],
       "extendedFields": {"trial_status": "Not Done"},
       "statusLogDetails": [
         {"id": 1, "userId": 368754334, "leadId": 1, "status": "OPEN", "createdBy": 15002926,
          "createdOn": "2018-11-14T15:38:04+05:30", "reasonId": 5, "reason": "Best price availabe at another store"},
         {"id": 2, "userId": 368754334, "leadId": 1, "status": "ON_HOLD", "createdBy": 15002926,
          "createdOn": "2018-11-14T15:38:04+05:30", "reasonId": 4, "reason": "Item not available in store"}],
       "orgSourceId": -1, "warnings": []}""";

  private static final String UPDATE_LEAD_RESPONSE = """
      {"id": 19, "userId": 316804150, "type": "SKU", "leadFor": "item001", "status": "ON_HOLD",
       "nextFollowUp": "2018-10-05T08:00:00+05:30", "createdOn": "2018-10-04T13:30:00+05:30", "createdBy": 28812689,
       "lastUpdatedOn": "2018-11-28T10:31:19+05:30", "lastUpdatedBy": 15147364,
       "followUpDetails": [
         {"id": 37, "userId": 316804150, "leadId": 19, "notes": "notes 1", "createdBy": 15147364,
          "createdOn": "2018-11-28T10:31:19+05:30", "followedUpBy": 28812689,
          "followedUpOn": "2018-10-04T12:45:00+05:30", "scheduledFollowUp": "2018-10-04T12:30:00+05:30"},
         {"id": 38, "userId": 316804150, "leadId": 19, "notes": "notes 2", "createdBy": 15147364,
          "createdOn": "2018-11-28T10:31:19+05:30", "followedUpBy": 28812689,
          "followedUpOn": "2018-10-04T12:45:00+05:30", "scheduledFollowUp": "2018-10-04T12:30:00+05:30"}],
       "statusLogDetails": [
         {"id": 39, "userId": 316804150, "leadId": 19, "status": "OPEN", "createdBy": 15147364,
          "createdOn": "2018-11-28T10:31:19+05:30", "reasonId": 1, "reason": "not available"},
         {"id": 40, "userId": 316804150, "leadId": 19, "status": "ON_HOLD", "createdBy": 15147364,
          "createdOn": "2018-11-28T10:31:19+05:30", "reasonId": 2, "reason": "phone not working"}],
       "orgSourceId": -1, "extendedFields": {"trial_status": "Not Done"}, "warnings": []}""";

  /** The "Update Lead Status" response. */
  private static final String STATUS_RESPONSE = """
      {"id": 2, "userId": 368754334, "type": "SKU", "leadFor": "item001", "status": "ON_HOLD",
       "nextFollowUp": "2018-10-05T08:00:00+05:30", "createdOn": "2018-10-04T13:30:00+05:30", "createdBy": 28812689,
       "lastUpdatedOn": "2019-04-15T14:58:39+05:30", "lastUpdatedBy": 15002926,
       "followUpDetails": [
         {"id": 3, "userId": 368754334, "leadId": 2, "notes": "notes 1", "createdBy": 15002926,
          "createdOn": "2018-12-06T17:36:28+05:30", "followedUpBy": 28812689,
          "followedUpOn": "2018-10-04T12:45:00+05:30", "scheduledFollowUp": "2018-10-04T12:30:00+05:30"},
         {"id": 4, "userId": 368754334, "leadId": 2, "notes": "notes 2", "createdBy": 15002926,
          "createdOn": "2018-12-06T17:36:28+05:30", "followedUpBy": 28812689,
          "followedUpOn": "2018-10-04T12:45:00+05:30", "scheduledFollowUp": "2018-10-04T12:30:00+05:30"}],
       "statusLogDetails": [
         {"id": 4, "userId": 368754334, "leadId": 2, "status": "OPEN", "createdBy": 15002926,
          "createdOn": "2018-12-06T17:36:28+05:30", "reasonId": 1, "reason": "Item not available in store"},
         {"id": 5, "userId": 368754334, "leadId": 2, "status": "ON_HOLD", "createdBy": 15002926,
          "createdOn": "2018-12-06T17:36:28+05:30", "reasonId": 2, "reason": "Best price availabe at another store"},
         {"id": 16, "userId": 368754334, "leadId": 2, "status": "LOST", "createdBy": -1,
          "createdOn": "2019-01-28T14:34:46+05:30", "reasonId": 11, "reason": "AUTO_CLOSE"},
         {"id": 23, "userId": 368754334, "leadId": 2, "status": "ON_HOLD", "createdBy": 28812689,
          "createdOn": "2019-04-15T14:58:39+05:30", "reasonId": 2, "reason": "Best price availabe at another store",
          "subStatus": "YetToDecide"}],
       "orgSourceId": -1, "extendedFields": {"trial_status": "Not Done"}, "subStatus": "YetToDecide", "warnings": []}""";

  private static final String FOLLOW_UP_RESPONSE = """
      {"createdBy": 124, "createdOn": "2019-04-16T05:19:06Z", "extendedFields": {"trial_status": "Not Done"},
       "followUpDetails": [
         {"createdBy": 124, "createdOn": "2019-04-16T05:19:06Z", "followedUpBy": 124,
          "followedUpOn": "2019-04-17T05:19:06Z", "id": 124, "leadId": 63,
          "scheduledFollowUp": "2019-04-17T05:19:06Z", "userId": 340417059}],
       "id": 63, "lastFollowUp": "2019-04-17T05:19:06Z", "lastUpdatedBy": 124, "lastUpdatedOn": "2019-04-16T05:19:06Z",
       "leadFor": "sku_902307", "orgSourceId": -1, "status": "OPEN", "statusLogDetails": [],
       "type": "SKU", "userId": 340417059, "warnings": []}""";

  /** One lead of the "Search Lead" sample's data, as the doc shows it. */
  private static final String SEARCH_ITEM = """
      {"id": 1, "userId": 368754334, "type": "SKU", "leadFor": "item001", "status": "WON",
       "nextFollowUp": "2018-10-05T08:00:00+05:30", "createdOn": "2018-10-04T13:30:00+05:30", "createdBy": 28812689,
       "lastUpdatedOn": "2018-11-14T15:44:26+05:30", "lastUpdatedBy": 15002926,
       "followUpDetails": [], "statusLogDetails": [], "orgSourceId": -1}""";

  private final List<String> commandIds = new ArrayList<>();

  @BeforeAll
  static void trustTheSchemaClasses() {
    // Avro refuses to build records with defaults of LMS classes until their package is trusted,
    // which a codec does; the chaos run has one before any command exists.
    SingleObjectCodec.of(LeadCommand.class);
  }

  // ---- the doc's samples

  @Test
  void configuringTheSampleReasonsAnswersTheSampleListAndGetReasonsShowsIt() {
    var oracle = new LeadsOracle();

    Outcome outcome = oracle.apply(command(ORG, STAFF, at("2018-11-14T10:00:00Z"), sampleReasons()));

    assertThat(body(outcome)).isEqualTo(json(REASONS_SAMPLE));
    assertThat(oracle.reasons(ORG)).isEqualTo(json(REASONS_SAMPLE));
  }

  @Test
  void createSubStatusAnswersTheSampleAndTheListShowsEveryStatusesSubStatuses() {
    var oracle = new LeadsOracle();

    Outcome created = oracle.apply(command(ORG, STAFF, at("2019-04-15T09:00:00Z"), new CreateSubStatus("ON_HOLD", "YetToDecide")));
    oracle.apply(command(ORG, STAFF, at("2019-04-15T09:00:01Z"), new CreateSubStatus("LOST", "InvalidPhoneNumber")));

    assertThat(body(created)).isEqualTo(json("""
        {"status": "ON_HOLD", "subStatus": "YetToDecide", "warnings": []}"""));
    assertThat(oracle.subStatuses(ORG)).isEqualTo(json("""
        {"data": [{"status": "LOST", "subStatus": "InvalidPhoneNumber"},
                  {"status": "ON_HOLD", "subStatus": "YetToDecide"}],
         "warnings": [], "errors": []}"""));
  }

  @Test
  void addLeadAnswersTheSampleResponseExceptForIdsTheSampleCannotHaveHad() {
    var oracle = new LeadsOracle(IST);
    oracle.apply(command(ORG, STAFF, at("2018-11-14T15:00:00+05:30"), sampleReasons()));

    Outcome outcome = oracle.apply(command(ORG, STAFF, at("2018-11-14T15:38:04+05:30"), sampleCreate()));

    // The sample's customer comes from another system; its status log's reason ids (5, 4) are
    // neither the request's (1, 2) nor ids of the sample's reasons list: those are the only
    // values replaced, by what the request and the reasons sample say.
    ObjectNode expected = withTheSeedingRulings(renumbered(json(ADD_LEAD_RESPONSE)));
    ArrayNode log = (ArrayNode) expected.get("statusLogDetails");
    ((ObjectNode) log.get(0)).put("reasonId", 1).put("reason", "Item not available in store");
    ((ObjectNode) log.get(1)).put("reasonId", 2).put("reason", "Best price availabe at another store");
    assertThat(body(outcome)).isEqualTo(normalised(expected));
    assertThat(oracle.lead(ORG, 1)).contains(normalised(expected));
  }

  @Test
  void updateLeadAnswersTheSampleResponseWithIdsOfAFreshOrg() {
    // The sample's lead was created, with the Add Lead sample's request, in the second of the update.
    var oracle = new LeadsOracle(IST);
    oracle.apply(command(ORG, 15147364L, at("2018-11-28T10:00:00+05:30"),
        new ConfigureReasons(List.of("not available", "phone not working"))));
    oracle.apply(command(ORG, 15147364L, at("2018-11-28T10:31:19+05:30"), sampleCreate()));

    Outcome outcome = oracle.apply(command(ORG, 15147364L, at("2018-11-28T10:31:19+05:30"),
        new UpdateLead(1L, Map.of("trial_status", "Not Done"), null)));

    assertThat(body(outcome)).isEqualTo(normalised(withTheSeedingRulings(renumbered(json(UPDATE_LEAD_RESPONSE)))));
  }

  @Test
  void updateLeadChangesOnlyExtendedFieldsAndTheStamp() {
    var oracle = new LeadsOracle(IST);
    oracle.apply(command(ORG, STAFF, at("2018-11-28T10:00:00+05:30"), sampleReasons()));
    JsonNode created = body(oracle.apply(command(ORG, STAFF, at("2018-11-28T10:31:19+05:30"), sampleCreate())));

    Outcome outcome = oracle.apply(command(ORG, 15147364L, at("2018-11-28T11:02:00+05:30"),
        new UpdateLead(1L, Map.of("trial_status", "Done"), null)));

    ObjectNode expected = created.deepCopy();
    expected.put("lastUpdatedOn", "2018-11-28T11:02:00+05:30").put("lastUpdatedBy", 15147364);
    expected.putObject("extendedFields").put("trial_status", "Done");
    assertThat(body(outcome)).isEqualTo(expected);
  }

  @Test
  void statusChangeFromLostToOnHoldWithSubStatusAnswersTheSampleEntriesAndLead() {
    var oracle = new LeadsOracle(IST);
    oracle.apply(command(ORG, STAFF, at("2018-12-06T17:00:00+05:30"), sampleReasons()));
    oracle.apply(command(ORG, STAFF, at("2018-12-06T17:00:01+05:30"), new ConfigureReasons(List.of("AUTO_CLOSE"))));
    oracle.apply(command(ORG, STAFF, at("2018-12-06T17:00:02+05:30"), new CreateSubStatus("ON_HOLD", "YetToDecide")));
    oracle.apply(command(ORG, STAFF, at("2018-12-06T17:36:28+05:30"), sampleCreate()));
    oracle.apply(command(ORG, STAFF, at("2019-01-28T14:34:46+05:30"), new ChangeStatus(1L, "LOST", null, 4L, -1L, null)));

    Outcome outcome = oracle.apply(command(ORG, STAFF, at("2019-04-15T14:58:39+05:30"),
        new ChangeStatus(1L, "ON_HOLD", "YetToDecide", 2L, 28812689L, null)));

    // The sample's first two entries were seeded at its lead's creation (17:36:28), as here; its
    // AUTO_CLOSE reason has id 11 where this org's has 4.
    ObjectNode expected = withTheSeedingRulings(renumbered(json(STATUS_RESPONSE)));
    ((ObjectNode) expected.get("statusLogDetails").get(2)).put("reasonId", 4);
    assertThat(body(outcome)).isEqualTo(normalised(expected));
  }

  @Test
  void followUpAnswersTheSampleStampsAndReplacesTheNextFollowUp() {
    var oracle = new LeadsOracle();
    oracle.apply(command(ORG, 124L, at("2019-04-16T05:19:06Z"), CreateLead.newBuilder()
        .setType("SKU").setLeadFor("sku_902307").setIdType("EMAIL").setIdentifier("sample@example.com")
        .setNextFollowUp("2019-04-17T05:19:06Z").setExtendedFields(Map.of("trial_status", "Not Done")).build()));

    Outcome outcome = oracle.apply(command(ORG, 124L, at("2019-04-16T05:19:06Z"),
        new RecordFollowUp(1L, "2018-10-05T08:00:00+05:30", null, 124L, null, null, null)));

    // The sample's entries do not hold the request's followedUpOn: its stamps, its createdBy and
    // followedUpBy and the fields it shows are what the data allows comparing.
    JsonNode lead = body(outcome);
    JsonNode sample = json(FOLLOW_UP_RESPONSE);
    assertThat(fieldNames(lead)).isEqualTo(fieldNames(sample));
    assertThat(lead.get("lastUpdatedOn")).isEqualTo(sample.get("lastUpdatedOn"));
    assertThat(lead.get("lastUpdatedBy")).isEqualTo(sample.get("lastUpdatedBy"));
    assertThat(lead.get("lastFollowUp").asText()).isEqualTo("2018-10-05T08:00:00+05:30");
    assertThat(lead.get("followUpDetails").get(0)).isEqualTo(json("""
        {"id": 1, "userId": 1, "leadId": 1, "createdBy": 124, "createdOn": "2019-04-16T05:19:06Z",
         "followedUpBy": 124, "followedUpOn": "2018-10-05T08:00:00+05:30"}"""));
  }

  @Test
  void searchListsLeadsWithoutWarningsInTheSampleShape() {
    var oracle = new LeadsOracle(IST);
    oracle.apply(command(ORG, STAFF, at("2018-11-14T15:00:00+05:30"), sampleReasons()));
    oracle.apply(command(ORG, STAFF, at("2018-11-14T15:38:04+05:30"), sampleCreate()));
    oracle.apply(command(ORG, STAFF, at("2018-11-14T15:44:26+05:30"), new ChangeStatus(1L, "WON", null, 2L, null, null)));

    JsonNode page = oracle.search(ORG, null, null, "DESC", 0, 10);

    assertThat(fieldNames(page)).containsExactly("data", "errors", "warnings");
    assertThat(page.get("data")).hasSize(1);
    ObjectNode item = (ObjectNode) page.get("data").get(0).deepCopy();
    // The sample leaves extendedFields out of a lead its own Add Lead sample gave them: kept here.
    assertThat(item.remove("extendedFields")).isEqualTo(json("{\"trial_status\": \"Not Done\"}"));
    item.set("followUpDetails", JSON.createArrayNode());
    item.set("statusLogDetails", JSON.createArrayNode());
    ObjectNode expected = (ObjectNode) json(SEARCH_ITEM);
    expected.put("userId", 1);
    // README ruling: follow-ups seeded by the create set lastFollowUp, as recorded ones do.
    expected.put("lastFollowUp", "2018-10-04T12:45:00+05:30");
    assertThat(item).isEqualTo(expected);
    assertThat(page.get("data").get(0).get("statusLogDetails").get(2)).isEqualTo(json("""
        {"id": 3, "userId": 1, "leadId": 1, "status": "WON", "createdBy": 15002926,
         "createdOn": "2018-11-14T15:44:26+05:30", "reasonId": 2, "reason": "Best price availabe at another store"}"""));
  }

  // ---- the notes' rulings

  @Test
  void wonAndDeletedLeadsRefuseEveryStatusChangeAndLostOneReopens() {
    var oracle = orgWithReasons();
    createLeads(oracle, 3);
    oracle.apply(status(1, "WON", 1));
    oracle.apply(status(2, "DELETED", 1));
    oracle.apply(status(3, "LOST", 1));
    JsonNode won = oracle.lead(ORG, 1).orElseThrow();

    assertThat(oracle.apply(status(1, "OPEN", 1))).isEqualTo(new Rejected(400, List.of(92024)));
    assertThat(oracle.apply(status(1, "WON", 1))).isEqualTo(new Rejected(400, List.of(92024)));
    assertThat(oracle.apply(status(2, "LOST", 99))).isEqualTo(new Rejected(400, List.of(92024)));
    assertThat(oracle.apply(status(3, "ON_HOLD", 2))).isInstanceOf(Accepted.class);
    assertThat(oracle.lead(ORG, 1)).contains(won);
    assertThat(oracle.lead(ORG, 3).orElseThrow().get("status").asText()).isEqualTo("ON_HOLD");
  }

  @Test
  void settingTheStatusALeadHasAnswers92002AndChangesNothing() {
    var oracle = orgWithReasons();
    createLeads(oracle, 1);
    JsonNode before = oracle.lead(ORG, 1).orElseThrow();

    assertThat(oracle.apply(status(1, "OPEN", 1))).isEqualTo(new Rejected(400, List.of(92002)));
    assertThat(oracle.lead(ORG, 1)).contains(before);
  }

  @Test
  void unknownLeadReasonSubStatusOrStatusAreRefusedWithTheirCodes() {
    var oracle = orgWithReasons();
    createLeads(oracle, 1);

    assertThat(oracle.apply(status(7, "LOST", 1))).isEqualTo(new Rejected(404, List.of(92001)));
    assertThat(oracle.apply(status(1, "LOST", 9))).isEqualTo(new Rejected(400, List.of(92004)));
    assertThat(oracle.apply(status(1, "MAYBE", 1))).isEqualTo(new Rejected(400, List.of(92003)));
    assertThat(oracle.apply(command(ORG, STAFF, now(), new ChangeStatus(1L, "LOST", "Nope", 1L, null, null))))
        .isEqualTo(new Rejected(400, List.of(92020)));
    assertThat(oracle.apply(command(ORG, STAFF, now(), new UpdateLead(7L, Map.of("a", "b"), null))))
        .isEqualTo(new Rejected(404, List.of(92001)));
    assertThat(oracle.apply(command(ORG, STAFF, now(), new RecordFollowUp(7L, "2026-11-27T10:00:00Z", null, null, null, null, null))))
        .isEqualTo(new Rejected(404, List.of(92001)));
    assertThat(oracle.lead(ORG, 1).orElseThrow().get("statusLogDetails")).isEmpty();
  }

  @Test
  void aSubStatusIsUniquePerStatusAndOnlyAKnownOneIsAccepted() {
    var oracle = orgWithReasons();
    createLeads(oracle, 1);

    assertThat(oracle.apply(command(ORG, STAFF, now(), new CreateSubStatus("LOST", "NoBudget")))).isInstanceOf(Accepted.class);
    assertThat(oracle.apply(command(ORG, STAFF, now(), new CreateSubStatus("LOST", "NoBudget"))))
        .isEqualTo(new Rejected(400, List.of(92021)));
    assertThat(oracle.apply(command(ORG, STAFF, now(), new CreateSubStatus("ON_HOLD", "NoBudget")))).isInstanceOf(Accepted.class);
    assertThat(oracle.apply(command(ORG, STAFF, now(), new CreateSubStatus("LATER", "NoBudget"))))
        .isEqualTo(new Rejected(400, List.of(92003)));
    assertThat(oracle.apply(command(ORG, STAFF, now(), new CreateSubStatus("LOST", ""))))
        .isEqualTo(new Rejected(400, List.of(92023)));
    assertThat(oracle.apply(command(ORG, STAFF, now(), new ChangeStatus(1L, "WON", "NoBudget", 1L, null, null))))
        .isEqualTo(new Rejected(400, List.of(92020)));
    JsonNode lost = body(oracle.apply(command(ORG, STAFF, now(), new ChangeStatus(1L, "LOST", "NoBudget", 1L, null, null))));
    assertThat(lost.get("subStatus").asText()).isEqualTo("NoBudget");
    assertThat(oracle.subStatuses(ORG).get("data")).hasSize(2);
    assertThat(oracle.subStatuses("org-b").get("data")).isEmpty();
  }

  @Test
  void aStatusChangeWithoutSubStatusClearsTheLeadsSubStatus() {
    var oracle = orgWithReasons();
    createLeads(oracle, 1);
    oracle.apply(command(ORG, STAFF, now(), new CreateSubStatus("ON_HOLD", "YetToDecide")));
    oracle.apply(command(ORG, STAFF, now(), new ChangeStatus(1L, "ON_HOLD", "YetToDecide", 1L, null, null)));

    JsonNode lost = body(oracle.apply(status(1, "LOST", 2)));

    assertThat(lost.has("subStatus")).isFalse();
    assertThat(lost.get("statusLogDetails").get(1).has("subStatus")).isFalse();
    assertThat(lost.get("statusLogDetails").get(0).get("subStatus").asText()).isEqualTo("YetToDecide");
  }

  @Test
  void reasonIdsAreSequencesOfTheirOrg() {
    var oracle = new LeadsOracle();
    oracle.apply(command(ORG, STAFF, now(), sampleReasons()));
    oracle.apply(command("org-b", STAFF, now(), new ConfigureReasons(List.of("Other org"))));

    JsonNode more = body(oracle.apply(command(ORG, STAFF, now(), new ConfigureReasons(List.of("Fourth", "Fifth")))));

    // README ruling: POST answers the reasons it added; GET lists them all.
    assertThat(ids(more.get("data"))).containsExactly(4L, 5L);
    assertThat(ids(oracle.reasons(ORG).get("data"))).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(oracle.reasons("org-b")).isEqualTo(json("""
        {"data": [{"id": 1, "reason": "Other org"}], "warnings": [], "errors": []}"""));
    assertThat(oracle.apply(command("org-b", STAFF, now(), new ChangeStatus(1L, "LOST", null, 1L, null, null))))
        .isEqualTo(new Rejected(404, List.of(92001)));
  }

  @Test
  void anIdentifierSeenBeforeInTheOrgIsTheSameCustomer() {
    var oracle = new LeadsOracle();

    long tom = userId(oracle.apply(create(ORG, "EMAIL", "Tom.Sawyer@Example.com")));
    long tomAgain = userId(oracle.apply(create(ORG, "EMAIL", "tom.sawyer@example.com")));
    long huck = userId(oracle.apply(create(ORG, "EMAIL", "huck@example.com")));
    long mobile = userId(oracle.apply(create(ORG, "MOBILE", "+91 98450-12345")));
    long sameMobile = userId(oracle.apply(create(ORG, "MOBILE", "919845012345")));
    long otherOrg = userId(oracle.apply(create("org-b", "EMAIL", "huck@example.com")));

    assertThat(List.of(tom, tomAgain, huck, mobile, sameMobile, otherOrg)).containsExactly(1L, 1L, 2L, 3L, 3L, 1L);
    assertThat(oracle.apply(create(ORG, "PHONE", "123"))).isEqualTo(new Rejected(400, List.of(92015)));
    assertThat(oracle.apply(command(ORG, STAFF, now(), CreateLead.newBuilder().setLeadFor("x").setUserId(9L).build())))
        .isEqualTo(new Rejected(400, List.of(92008)));
    assertThat(oracle.apply(command(ORG, STAFF, now(), CreateLead.newBuilder().setLeadFor("x").setUserId(2L).build())))
        .isInstanceOf(Accepted.class);
  }

  @Test
  void aRefusedCreateTakesNoIdAndRegistersNoCustomer() {
    var oracle = new LeadsOracle();

    Outcome noLeadFor = oracle.apply(command(ORG, STAFF, now(),
        CreateLead.newBuilder().setIdType("EMAIL").setIdentifier("a@example.com").build()));
    Outcome badStatus = oracle.apply(command(ORG, STAFF, now(),
        CreateLead.newBuilder().setLeadFor("x").setIdType("EMAIL").setIdentifier("b@example.com").setStatus("NEW").build()));
    JsonNode lead = body(oracle.apply(create(ORG, "EMAIL", "c@example.com")));

    assertThat(noLeadFor).isEqualTo(new Rejected(400, List.of(92006)));
    assertThat(badStatus).isEqualTo(new Rejected(400, List.of(92003)));
    assertThat(lead.get("id").asLong()).isEqualTo(1);
    assertThat(lead.get("userId").asLong()).isEqualTo(1);
    assertThat(oracle.leadIds(ORG)).containsExactly(1L);
  }

  @Test
  void aLeadCreatedWithoutOptionalsShowsDefaultsAndNoOptionalFields() {
    var oracle = new LeadsOracle();

    JsonNode lead = body(oracle.apply(command(ORG, 1003L, at("2026-11-27T10:15:30.250Z"),
        CreateLead.newBuilder().setLeadFor("item-9").setIdType("EMAIL").setIdentifier("a@example.com").build())));

    assertThat(lead).isEqualTo(json("""
        {"id": 1, "userId": 1, "type": "SKU", "leadFor": "item-9", "status": "OPEN",
         "createdOn": "2026-11-27T10:15:30Z", "createdBy": 1003,
         "lastUpdatedOn": "2026-11-27T10:15:30Z", "lastUpdatedBy": 1003,
         "followUpDetails": [], "statusLogDetails": [], "orgSourceId": -1, "extendedFields": {}, "warnings": []}"""));
  }

  @Test
  void anUpdateMergesExtendedFieldsAndReplacesTheOwner() {
    var oracle = new LeadsOracle();
    oracle.apply(command(ORG, STAFF, now(), CreateLead.newBuilder().setLeadFor("item-1").setIdType("EMAIL")
        .setIdentifier("a@example.com").setExtendedFields(Map.of("channel", "http", "n", "1")).build()));

    oracle.apply(command(ORG, STAFF, now(), new UpdateLead(1L, Map.of("trial_status", "Done"), "staff.3")));
    JsonNode lead = body(oracle.apply(command(ORG, 77L, at("2026-11-27T12:00:00Z"),
        new UpdateLead(1L, Map.of("n", "2"), null))));

    assertThat(lead.get("extendedFields")).isEqualTo(json("""
        {"channel": "http", "n": "2", "trial_status": "Done"}"""));
    assertThat(lead.get("owner").asText()).isEqualTo("staff.3");
    assertThat(lead.get("lastUpdatedBy").asLong()).isEqualTo(77);
    assertThat(lead.get("lastUpdatedOn").asText()).isEqualTo("2026-11-27T12:00:00Z");
  }

  @Test
  void aFollowUpSetsLastFollowUpToItsOwnAndFollowedUpByToItsCreator() {
    var oracle = new LeadsOracle();
    createLeads(oracle, 1);
    oracle.apply(command(ORG, 1000L, now(), new RecordFollowUp(1L, "2026-11-27T15:00:00+05:30", null, 124L,
        "2026-12-01T10:00:00+05:30", "called 1", null)));

    JsonNode lead = body(oracle.apply(command(ORG, 1000L, at("2026-11-27T12:00:00Z"),
        new RecordFollowUp(1L, "2026-11-27T09:00:00+05:30", null, null, "2026-11-29T10:00:00+05:30", null,
            "2026-11-27T08:30:00+05:30"))));

    assertThat(lead.get("lastFollowUp").asText()).isEqualTo("2026-11-27T09:00:00+05:30");
    assertThat(lead.get("nextFollowUp").asText()).isEqualTo("2026-11-29T10:00:00+05:30");
    assertThat(lead.get("followUpDetails").get(0).get("followedUpBy").asLong()).isEqualTo(124);
    assertThat(lead.get("followUpDetails").get(0).get("notes").asText()).isEqualTo("called 1");
    assertThat(lead.get("followUpDetails").get(1)).isEqualTo(json("""
        {"id": 2, "userId": 1, "leadId": 1, "createdBy": 1000, "createdOn": "2026-11-27T12:00:00Z",
         "followedUpBy": 1000, "followedUpOn": "2026-11-27T09:00:00+05:30",
         "scheduledFollowUp": "2026-11-27T08:30:00+05:30", "nextFollowUp": "2026-11-29T10:00:00+05:30"}"""));
  }

  @Test
  void searchStartsAfterTheOffsetLeavesDeletedOutAndSorts() {
    var oracle = orgWithReasons();
    createLeads(oracle, 5);
    oracle.apply(status(2, "DELETED", 1));
    oracle.apply(command(ORG, STAFF, now(), new UpdateLead(1L, Map.of("k", "v"), null)));

    assertThat(ids(oracle.search(ORG, null, null, null, 0, 10).get("data"))).containsExactly(5L, 4L, 3L, 1L);
    assertThat(ids(oracle.search(ORG, null, "createdon", "ASC", 2, 10).get("data"))).containsExactly(3L, 4L, 5L);
    assertThat(ids(oracle.search(ORG, "DELETED", null, null, 0, 10).get("data"))).containsExactly(2L);
    assertThat(ids(oracle.search(ORG, "OPEN", "lastUpdatedOn", "DESC", 0, 2).get("data"))).containsExactly(1L, 5L);
    assertThat(ids(oracle.search(ORG, null, "LASTUPDATEDON", "ASC", 3, 10).get("data"))).containsExactly(4L, 5L);
    assertThat(oracle.search(ORG, null, null, null, 0, 10).get("data").get(0).has("warnings")).isFalse();
    assertThat(oracle.search("org-b", null, null, null, 0, 10).get("data")).isEmpty();
    assertThatThrownBy(() -> oracle.search(ORG, null, null, null, 0, 101)).isInstanceOf(OutsideModelException.class);
  }

  @Test
  void searchSortsCreatedOnByTheCreationSequenceAndLastUpdatedOnByTheTimeItself() {
    var oracle = new LeadsOracle();
    // Two gateways stamped these creates, the second one earlier than the first.
    oracle.apply(command(ORG, STAFF, at("2026-11-27T10:00:00.900Z"), newLead("EMAIL", "a@example.com")));
    oracle.apply(command(ORG, STAFF, at("2026-11-27T10:00:00.100Z"), newLead("EMAIL", "b@example.com")));
    oracle.apply(command(ORG, STAFF, at("2026-11-27T10:00:05.900Z"), new UpdateLead(2L, Map.of("k", "v"), null)));
    oracle.apply(command(ORG, STAFF, at("2026-11-27T10:00:05.100Z"), new UpdateLead(1L, Map.of("k", "v"), null)));

    JsonNode byCreation = oracle.search(ORG, null, "createdOn", "ASC", 0, 10);
    JsonNode byUpdate = oracle.search(ORG, null, "lastUpdatedOn", "DESC", 0, 10);

    // README ruling: createdOn sorts by the creation sequence (what offset counts), whatever the stamps.
    assertThat(ids(byCreation.get("data"))).containsExactly(1L, 2L);
    assertThat(ids(byUpdate.get("data"))).containsExactly(2L, 1L);
    assertThat(byUpdate.get("data").findValuesAsText("lastUpdatedOn")).containsOnly("2026-11-27T10:00:05Z");
  }

  @Test
  void dueListsOpenAndOnHoldLeadsWithANextFollowUpInTheWindowEarliestFirst() {
    var oracle = orgWithReasons();
    String[] next = {"2026-12-03T10:00:00Z", "2026-12-01T10:00:00+05:30", "2026-12-02T10:00:00Z", "2026-12-05T00:00:00Z"};
    for (String time : next) {
      oracle.apply(command(ORG, STAFF, now(), CreateLead.newBuilder().setLeadFor("x").setIdType("EMAIL")
          .setIdentifier("a@example.com").setStatus("ON_HOLD").setNextFollowUp(time).build()));
    }
    oracle.apply(status(3, "WON", 1));

    JsonNode due = oracle.due(ORG, Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2026-12-05T00:00:00Z"), null, 0, 10);

    assertThat(ids(due.get("data"))).containsExactly(2L, 1L);
    assertThat(due.get("data").get(0).get("nextFollowUp").asText()).isEqualTo("2026-12-01T10:00:00+05:30");
    assertThat(ids(oracle.due(ORG, Instant.EPOCH, Instant.parse("2027-01-01T00:00:00Z"), null, 1, 1).get("data")))
        .containsExactly(1L);
  }

  @Test
  void aRepeatedCommandIdAnswersItsFirstOutcomeAndChangesNothing() {
    var oracle = orgWithReasons();
    createLeads(oracle, 1);
    LeadCommand unknownReason = status(1, "LOST", 4);
    LeadCommand followUp = command(ORG, STAFF, now(), new RecordFollowUp(1L, "2026-11-27T10:00:00Z", null, null, null, null, null));
    Outcome refused = oracle.apply(unknownReason);
    Outcome followedUp = oracle.apply(followUp);
    oracle.apply(command(ORG, STAFF, now(), new ConfigureReasons(List.of("Fourth"))));
    JsonNode before = oracle.lead(ORG, 1).orElseThrow();

    Outcome refusedAgain = oracle.apply(retried(unknownReason));
    Outcome followedUpAgain = oracle.apply(retried(followUp));

    assertThat(refused).isEqualTo(new Rejected(400, List.of(92004)));
    assertThat(refusedAgain).isEqualTo(refused);
    assertThat(followedUpAgain).isEqualTo(followedUp);
    assertThat(oracle.lead(ORG, 1)).contains(before);
    assertThat(oracle.firstOutcome(ORG, unknownReason.getCommandId())).contains(refused);
    LeadCommand sameIdOtherOrg = new LeadCommand(followUp.getCommandId(), "org-b", STAFF, now(), followUp.getPayload());
    assertThat(oracle.apply(sameIdOtherOrg)).isEqualTo(new Rejected(404, List.of(92001)));
  }

  @Test
  void inputOutsideTheModelIsThrownOnNotGuessed() {
    var oracle = orgWithReasons();
    createLeads(oracle, 1);
    LeadCommand first = status(1, "LOST", 1);
    oracle.apply(first);

    assertThatThrownBy(() -> oracle.apply(new LeadCommand(first.getCommandId(), ORG, STAFF, now(),
        new ChangeStatus(1L, "OPEN", null, 1L, null, null)))).isInstanceOf(OutsideModelException.class);
    assertThatThrownBy(() -> oracle.apply(command(ORG, STAFF, now(), new ConfigureReasons(List.of(" ")))))
        .isInstanceOf(OutsideModelException.class);
    assertThatThrownBy(() -> oracle.apply(command(ORG, STAFF, now(), new ChangeStatus(1L, "OPEN", null, null, null, null))))
        .isInstanceOf(OutsideModelException.class);
    assertThatThrownBy(() -> oracle.apply(command(ORG, STAFF, now(),
        new RecordFollowUp(1L, "2026-11-27T10:00:00", null, null, null, null, null)))).isInstanceOf(OutsideModelException.class);
    assertThatThrownBy(() -> oracle.apply("org-b", status(1, "OPEN", 1))).isInstanceOf(OutsideModelException.class);
  }

  // ---- commands

  private LeadCommand command(String org, long actor, Instant issuedAt, Object payload) {
    String id = "cmd-" + (commandIds.size() + 1);
    commandIds.add(id);
    return new LeadCommand(id, org, actor, issuedAt, payload);
  }

  private static LeadCommand retried(LeadCommand command) {
    return new LeadCommand(command.getCommandId(), command.getOrgId(), command.getActorId(),
        command.getIssuedAt().plusSeconds(30), command.getPayload());
  }

  private Instant now() {
    return Instant.parse("2026-11-27T10:00:00Z").plusSeconds(commandIds.size());
  }

  private static Instant at(String time) {
    return OffsetDateTime.parse(time).toInstant();
  }

  private LeadsOracle orgWithReasons() {
    var oracle = new LeadsOracle();
    oracle.apply(command(ORG, STAFF, now(), sampleReasons()));
    return oracle;
  }

  private void createLeads(LeadsOracle oracle, int count) {
    for (int i = 0; i < count; i++) {
      assertThat(oracle.apply(create(ORG, "EMAIL", "customer-" + i + "@example.com"))).isInstanceOf(Accepted.class);
    }
  }

  private LeadCommand create(String org, String idType, String identifier) {
    return command(org, STAFF, now(), newLead(idType, identifier));
  }

  private static CreateLead newLead(String idType, String identifier) {
    return CreateLead.newBuilder().setType("SKU").setLeadFor("item001").setIdType(idType).setIdentifier(identifier)
        .setStatus("OPEN").build();
  }

  private LeadCommand status(long leadId, String status, long reasonId) {
    return command(ORG, STAFF, now(), new ChangeStatus(leadId, status, null, reasonId, null, null));
  }

  private static ConfigureReasons sampleReasons() {
    return new ConfigureReasons(List.of("Item not available in store", "Best price availabe at another store",
        "Interested in our brand products"));
  }

  /** The "Add Lead" sample request. */
  private static CreateLead sampleCreate() {
    FollowUpInput first = new FollowUpInput("2018-10-04T12:30:00+05:30", "2018-10-04T12:45:00+05:30", 28812689L,
        "notes 1", "2018-10-04T13:15:00+05:30");
    FollowUpInput second = new FollowUpInput("2018-10-04T12:30:00+05:30", "2018-10-04T12:45:00+05:30", 28812689L,
        "notes 2", "2018-10-04T13:15:00+05:30");
    return CreateLead.newBuilder().setType("SKU").setLeadFor("item001").setIdType("EMAIL")
        .setIdentifier("tom.sawyer@example.com").setStatus("ON_HOLD").setNextFollowUp("2018-10-05T08:00:00+05:30")
        .setCreatedOn("2018-10-04T13:30:00+05:30").setCreatedBy(28812689L).setFollowUpDetails(List.of(first, second))
        .setExtendedFields(Map.of("trial_status", "Not Done"))
        .setStatusLogDetails(List.of(new StatusLogInput("OPEN", null, 28812689L, null, 1L),
            new StatusLogInput("ON_HOLD", null, 28812689L, null, 2L)))
        .setOrgSourceId(-1L).build();
  }

  // ---- JSON

  private static JsonNode body(Outcome outcome) {
    assertThat(outcome).isInstanceOf(Accepted.class);
    return ((Accepted) outcome).body();
  }

  private static long userId(Outcome outcome) {
    return body(outcome).get("userId").asLong();
  }

  private static List<Long> ids(JsonNode list) {
    List<Long> ids = new ArrayList<>();
    list.forEach(item -> ids.add(item.get("id").asLong()));
    return ids;
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new TreeSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  /**
   * A sample lead as the first lead and first customer of a fresh org would show it: the sample's
   * ids come from a database with other orgs' rows in it.
   */
  /**
   * A lead of the Add Lead sample request as the README's rulings show it where the samples
   * differ: a seeded status log entry's createdBy is the request's (28812689), a seeded follow-up
   * keeps its nextFollowUp, and seeded follow-ups set lastFollowUp to the latest followedUpOn.
   */
  private static ObjectNode withTheSeedingRulings(ObjectNode lead) {
    for (JsonNode entry : lead.get("statusLogDetails")) {
      if (entry.get("id").asLong() <= 2) {
        ((ObjectNode) entry).put("createdBy", 28812689L);
      }
    }
    for (JsonNode entry : lead.get("followUpDetails")) {
      ((ObjectNode) entry).put("nextFollowUp", "2018-10-04T13:15:00+05:30");
    }
    lead.put("lastFollowUp", "2018-10-04T12:45:00+05:30");
    return lead;
  }

  private static ObjectNode renumbered(JsonNode sample) {
    ObjectNode lead = sample.deepCopy();
    lead.put("id", 1).put("userId", 1);
    for (String list : List.of("followUpDetails", "statusLogDetails")) {
      int id = 1;
      for (JsonNode entry : lead.get(list)) {
        ((ObjectNode) entry).put("id", id++).put("userId", 1).put("leadId", 1);
      }
    }
    return lead;
  }

  /** The tree as parsed from text, so that numbers put as longs compare equal to parsed ints. */
  private static JsonNode normalised(JsonNode tree) {
    return json(tree.toString());
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
