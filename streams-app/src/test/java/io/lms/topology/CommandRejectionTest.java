package io.lms.topology;

import static io.lms.topology.LeadCommandTopologyTest.codes;
import static io.lms.topology.LeadCommandTopologyTest.lead;
import static org.assertj.core.api.Assertions.assertThat;

import io.lms.schema.Accepted;
import io.lms.schema.ApiError;
import io.lms.schema.CommandResult;
import io.lms.schema.ConfigureReasons;
import io.lms.schema.CreateLead;
import io.lms.schema.CreateSubStatus;
import io.lms.schema.FollowUpInput;
import io.lms.schema.LeadCommand;
import io.lms.schema.LeadStatus;
import io.lms.schema.RecordFollowUp;
import io.lms.schema.Rejected;
import io.lms.schema.StatusLogInput;
import io.lms.schema.UpdateLead;
import io.lms.topology.TopologySettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every error code a command can earn, each from an otherwise valid command, and nothing changed by it. */
class CommandRejectionTest {
  private final TopologyFixture lms = new TopologyFixture();
  private final Commands acme = new Commands("acme");
  private long leadId;

  @BeforeEach
  void givenAnOrgWithAReasonASubStatusAndALead() {
    lms.send(acme.reasons("Out of stock"));
    lms.send(acme.subStatus("LOST", "InvalidPhoneNumber"));
    leadId = lead(lms.send(acme.create(Commands.lead("a@example.com")))).getId();
    lms.drainEvents();
    lms.leads.readValuesToList();
    lms.reasons.readValuesToList();
    lms.subStatuses.readValuesToList();
  }

  @AfterEach
  void close() {
    lms.close();
  }

  private CommandResult rejected(LeadCommand command, int code) {
    CommandResult result = lms.send(command);
    assertThat(codes(result)).as("codes for %s", command.getPayload()).containsExactly(code);
    assertThat(lms.drainEvents()).as("events of a rejected command").isEmpty();
    assertThat(lms.leads.isEmpty()).as("lead output of a rejected command").isTrue();
    return result;
  }

  private static String message(CommandResult result) {
    return ((Rejected) result.getOutcome()).getErrors().stream().map(ApiError::getMessage).findFirst().orElseThrow();
  }

  @Test
  void theRejectionOfAnInvalidOrgIsNotRememberedUnderAnotherOrgsCommandId() {
    // Remembered, it would sit under the key "acme/x" + "/" + "y": the key of acme's command "x/y".
    LeadCommand invalidOrg = new LeadCommand("y", "acme/x", Commands.STAFF, acme.now(),
        Commands.lead("b@example.com").build());
    assertThat(lms.send(invalidOrg).getOutcome()).isInstanceOf(Rejected.class);

    LeadCommand create = acme.create(Commands.lead("c@example.com"));
    create.setCommandId("x/y");
    assertThat(lms.send(create).getOutcome()).isInstanceOf(Accepted.class);
  }

  @Test
  void unknownLeadIs92001() {
    assertThat(message(rejected(acme.status(99, "WON", 1L, null), 92001))).isEqualTo("Lead not found");
    rejected(acme.update(99, Map.of("a", "b"), null), 92001);
    rejected(acme.followUp(99, "2019-04-17T05:19:06Z", null), 92001);
    // Found by CommandFuzzTest: a negative id has no store key, and looking it up threw.
    rejected(acme.status(-2, "OPEN", null, "é"), 92001);
    rejected(acme.update(Long.MIN_VALUE, Map.of("a", "b"), null), 92001);
    rejected(acme.followUp(-1, "2019-04-17T05:19:06Z", null), 92001);
  }

  @Test
  void theStatusALeadHasAlreadyIs92002() {
    rejected(acme.status(leadId, "OPEN", 1L, null), 92002);
  }

  @Test
  void anUnknownStatusIs92003() {
    assertThat(message(rejected(acme.status(leadId, "MAYBE", 1L, null), 92003))).isEqualTo("Invalid Lead Status MAYBE");
    rejected(acme.create(Commands.lead("b@example.com").setStatus("PENDING")), 92003);
    rejected(acme.command(new CreateSubStatus("PENDING", "x")), 92003);
  }

  @Test
  void anUnknownReasonIs92004() {
    assertThat(message(rejected(acme.status(leadId, "WON", 7L, null), 92004))).isEqualTo("Lead Reason not found with id 7");
    rejected(acme.status(leadId, "WON", null, null), 92004);
    rejected(acme.create(Commands.lead("b@example.com")
        .setStatusLogDetails(List.of(new StatusLogInput("OPEN", null, null, null, 5L)))), 92004);
    rejected(acme.status(leadId, "WON", -1L, null), 92004);
  }

  @Test
  void aFollowUpWithoutItsTimeIs92005() {
    rejected(acme.command(new RecordFollowUp(leadId, null, null, 1L, null, "called", null)), 92005);
    rejected(acme.create(Commands.lead("b@example.com")
        .setFollowUpDetails(List.of(new FollowUpInput(null, null, null, "n", null)))), 92005);
  }

  @Test
  void aLeadForNothingIs92006() {
    rejected(acme.create(Commands.lead("b@example.com").setLeadFor(null)), 92006);
    rejected(acme.create(Commands.lead("b@example.com").setLeadFor("   ")), 92006);
  }

  @Test
  void aLeadForNobodyIs92007() {
    rejected(acme.create(CreateLead.newBuilder().setLeadFor("item")), 92007);
  }

  @Test
  void anUnknownUserIdIs92008() {
    assertThat(message(rejected(acme.create(CreateLead.newBuilder().setLeadFor("item").setUserId(4242L)), 92008)))
        .isEqualTo("No user found with the given userId 4242");
    rejected(acme.create(CreateLead.newBuilder().setLeadFor("item").setUserId(-1L)), 92008);
  }

  @Test
  void anUnknownTypeIs92009() {
    rejected(acme.create(Commands.lead("b@example.com").setType("SERVICE")), 92009);
  }

  @Test
  void aMissingLeadIdIs92010() {
    rejected(acme.command(new UpdateLead(null, Map.of("a", "b"), null)), 92010);
    rejected(acme.command(new io.lms.schema.ChangeStatus(null, "WON", null, 1L, null, null)), 92010);
    rejected(acme.command(new RecordFollowUp(null, "2019-04-17T05:19:06Z", null, 1L, null, null, null)), 92010);
  }

  @Test
  void anIdentifierWithoutValueIs92012() {
    rejected(acme.create(Commands.lead("  ")), 92012);
  }

  @Test
  void anOrgSourceBelowInStoreIs92014() {
    rejected(acme.create(Commands.lead("b@example.com").setOrgSourceId(-7L)), 92014);
  }

  @Test
  void anUnknownIdTypeIs92015() {
    rejected(acme.create(Commands.lead("b@example.com").setIdType("FAX")), 92015);
    rejected(acme.create(CreateLead.newBuilder().setLeadFor("x").setIdentifier("b@example.com")), 92015);
  }

  @Test
  void anOwnerThatCannotBeAUsernameIs92019() {
    rejected(acme.update(leadId, null, "not a user name"), 92019);
  }

  @Test
  void aSubStatusOfAnotherStatusIs92020() {
    rejected(acme.status(leadId, "ON_HOLD", 1L, "InvalidPhoneNumber"), 92020);
    rejected(acme.create(Commands.lead("b@example.com").setSubStatus("Nope")), 92020);
  }

  @Test
  void aSubStatusCreatedTwiceIs92021() {
    assertThat(message(rejected(acme.subStatus("LOST", "InvalidPhoneNumber"), 92021)))
        .isEqualTo("Lead sub status InvalidPhoneNumber already exists for status LOST");
    assertThat(lms.subStatuses.isEmpty()).isTrue();
  }

  @Test
  void anEmptyStatusIs92022() {
    rejected(acme.status(leadId, "  ", 1L, null), 92022);
    rejected(acme.command(new CreateSubStatus(null, "x")), 92022);
  }

  @Test
  void anEmptySubStatusIs92023() {
    rejected(acme.command(new CreateSubStatus("OPEN", " ")), 92023);
  }

  @Test
  void changingAWonOrDeletedLeadIs92024ButALostOneMayReopen() {
    long won = leadId;
    lms.send(acme.status(won, "WON", 1L, null));
    long deleted = lead(lms.send(acme.create(Commands.lead("d@example.com")))).getId();
    lms.send(acme.status(deleted, "DELETED", 1L, null));
    long lost = lead(lms.send(acme.create(Commands.lead("l@example.com")))).getId();
    lms.send(acme.status(lost, "LOST", 1L, null));
    lms.drainEvents();
    lms.leads.readValuesToList();

    rejected(acme.status(won, "OPEN", 1L, null), 92024);
    rejected(acme.status(won, "WON", 1L, null), 92024);
    rejected(acme.status(deleted, "OPEN", 1L, null), 92024);
    assertThat(lead(lms.send(acme.status(lost, "ON_HOLD", 1L, null))).getStatus()).isEqualTo(LeadStatus.ON_HOLD);
  }

  @Test
  void anUnknownIdentifierWithAutoRegistrationOffIs92025() {
    try (TopologyFixture strict = new TopologyFixture(new TopologySettings(
        ZoneId.of("UTC"), false, Optional.empty(), Duration.ofMinutes(1), Duration.ofDays(7), 1))) {
      CommandResult result = strict.send(acme.create(Commands.lead("new@example.com")));
      assertThat(codes(result)).containsExactly(92025);
      assertThat(strict.drainEvents()).isEmpty();
    }
  }

  @Test
  void oversizedTextIs93004() {
    rejected(acme.create(Commands.lead("b@example.com").setLeadFor("x".repeat(256))), 93004);
    rejected(acme.command(new RecordFollowUp(leadId, "2019-04-17T05:19:06Z", null, 1L, null, "n".repeat(2001), null)),
        93004);
    Map<String, String> many = new HashMap<>();
    for (int i = 0; i < 51; i++) {
      many.put("k" + i, "v");
    }
    rejected(acme.update(leadId, many, null), 93004);
    rejected(acme.update(leadId, Map.of("k", "v".repeat(1001)), null), 93004);
    List<String> reasons = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      reasons.add("r" + i);
    }
    rejected(acme.command(new ConfigureReasons(reasons)), 93004);
    assertThat(lms.reasons.isEmpty()).isTrue();
  }

  @Test
  void aTimeWithoutOffsetIs93005() {
    assertThat(message(rejected(acme.followUp(leadId, "2019-04-17 05:19", null), 93005)))
        .startsWith("Invalid date-time for followedUpOn: 2019-04-17 05:19");
    rejected(acme.create(Commands.lead("b@example.com").setNextFollowUp("2019-04-17T05:19:06")), 93005);
    // Found by CommandFuzzTest: the message echoed the whole text, 256 KiB over HTTP, into every result.
    assertThat(message(rejected(acme.followUp(leadId, "x".repeat(5_000), null), 93005))).hasSizeLessThan(200);
  }

  @Test
  void aCommandKeyedByAnotherOrgIs93007() {
    LeadCommand command = acme.create(Commands.lead("b@example.com"));
    lms.commands.pipeInput("globex", command, command.getIssuedAt());
    assertThat(codes(lms.results.readValuesToList().get(0))).containsExactly(93007);
    assertThat(lms.storedLead("acme", 2)).isNull();
    assertThat(lms.storedLead("globex", 1)).isNull();
  }

  @Test
  void anEnvelopeWithoutIdOrWithABadOrgIs93007() {
    rejected(LeadCommand.newBuilder(acme.reasons("x")).setCommandId(" ").build(), 93007);
    LeadCommand badOrg = LeadCommand.newBuilder(acme.reasons("x")).setOrgId("a/b").build();
    lms.commands.pipeInput("a/b", badOrg, badOrg.getIssuedAt());
    assertThat(codes(lms.results.readValuesToList().get(0))).containsExactly(93007);
  }

  @Test
  void aCommandIdFollowsTheIdempotencyKeyRule() {
    rejected(LeadCommand.newBuilder(acme.reasons("x")).setCommandId("with space").build(), 93007);
    rejected(LeadCommand.newBuilder(acme.reasons("x")).setCommandId("caf\u00e9").build(), 93007);
    rejected(LeadCommand.newBuilder(acme.reasons("x")).setCommandId("x".repeat(256)).build(), 93004);
    CommandResult longest = lms.send(
        LeadCommand.newBuilder(acme.reasons("longest")).setCommandId("crm/tom@example.com:" + "x".repeat(235)).build());
    assertThat(longest.getOutcome()).isInstanceOf(Accepted.class);
  }

  @Test
  void anUpdateWithNothingIs93008() {
    rejected(acme.update(leadId, null, null), 93008);
  }

  @Test
  void anEmptyReasonIs93009() {
    rejected(acme.command(new ConfigureReasons(Arrays.asList("ok", null))), 93009);
    rejected(acme.command(new ConfigureReasons(List.of())), 93009);
  }

  @Test
  void aLeadWithAFullHistoryIs93010() {
    for (int i = 0; i < 200; i++) {
      lms.send(acme.followUp(leadId, "2019-04-17T05:19:06Z", null));
    }
    lms.drainEvents();
    lms.leads.readValuesToList();
    rejected(acme.followUp(leadId, "2019-04-17T05:19:06Z", null), 93010);
  }
}
