package io.lms.connect.converter;

import io.lms.schema.Accepted;
import io.lms.schema.ApiError;
import io.lms.schema.ChangeStatus;
import io.lms.schema.CommandResult;
import io.lms.schema.ConfigureReasons;
import io.lms.schema.CreateLead;
import io.lms.schema.Customer;
import io.lms.schema.CustomerRegistered;
import io.lms.schema.FollowUp;
import io.lms.schema.FollowUpInput;
import io.lms.schema.FollowedUp;
import io.lms.schema.IdType;
import io.lms.schema.LeadCommand;
import io.lms.schema.LeadCreated;
import io.lms.schema.LeadEvent;
import io.lms.schema.LeadState;
import io.lms.schema.LeadStatus;
import io.lms.schema.LeadType;
import io.lms.schema.Reason;
import io.lms.schema.Rejected;
import io.lms.schema.StatusChanged;
import io.lms.schema.StatusLogEntry;
import io.lms.schema.SubStatus;
import io.lms.schema.UpdateLead;
import io.lms.schema.codec.SingleObjectCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** LMS records that use every kind of field: unions, nullable unions, arrays, maps, enums, times. */
public final class SampleRecords {
  public static final Instant AT = Instant.parse("2026-11-27T10:00:00Z");

  static {
    // The codec puts io.lms.schema on Avro's trusted list, which Avro reads once, on first use:
    // building a record with defaults before that would have it refuse the package for good.
    SingleObjectCodec.of(LeadState.class);
  }

  private SampleRecords() {}

  public static LeadState lead() {
    return LeadState.newBuilder()
        .setOrgId("acme").setId(12L).setUserId(3L).setType(LeadType.SKU).setLeadFor("item001")
        .setStatus(LeadStatus.ON_HOLD).setSubStatus("Waiting")
        .setNextFollowUp("2026-12-01T10:00:00+05:30").setLastFollowUp(null)
        .setCreatedOn("2026-11-27T15:30:00+05:30").setCreatedBy(7L)
        .setLastUpdatedOn("2026-11-27T10:05:00Z").setLastUpdatedBy(7L).setLastUpdatedAtMillis(AT.toEpochMilli() + 300_000)
        .setOwner("anna.k").setOrgSourceId(-1L)
        .setExtendedFields(new TreeMap<>(Map.of("trial_status", "Not Done", "colour", "red")))
        .setFollowUpDetails(new ArrayList<>(List.of(new FollowUp(1L, 3L, 12L, "called", 7L, "2026-11-27T10:01:00Z", null,
            "2026-11-27T10:00:00Z", null, "2026-12-01T10:00:00+05:30"))))
        .setStatusLogDetails(new ArrayList<>(List.of(
            new StatusLogEntry(1L, 3L, 12L, LeadStatus.OPEN, 7L, "2026-11-27T10:00:00Z", null, null, null),
            new StatusLogEntry(2L, 3L, 12L, LeadStatus.ON_HOLD, 7L, "2026-11-27T10:05:00Z", 2L, "Best price elsewhere", "Waiting"))))
        .build();
  }

  public static List<LeadCommand> commands() {
    return List.of(
        new LeadCommand("c1", "acme", 7L, AT, CreateLead.newBuilder().setLeadFor("item001").setIdType("EMAIL")
            .setIdentifier("a@example.com").setExtendedFields(new TreeMap<>(Map.of("k", "v")))
            .setFollowUpDetails(new ArrayList<>(List.of(new FollowUpInput(null, "2026-11-27T10:00:00Z", 7L, "hi", null))))
            .build()),
        new LeadCommand("c2", "acme", 7L, AT, new UpdateLead(12L, null, "anna.k")),
        new LeadCommand("c3", "acme", 7L, AT, new ChangeStatus(12L, "LOST", null, 2L, null, null)),
        new LeadCommand("c4", "acme", 7L, AT, new ConfigureReasons(new ArrayList<>(java.util.Arrays.asList("a", null)))));
  }

  public static List<LeadEvent> events() {
    LeadState lead = lead();
    return List.of(
        new LeadEvent("c1/0", "c1", "acme", null, 7L, AT,
            new CustomerRegistered(new Customer("acme", 3L, IdType.EMAIL, "a@example.com", false))),
        new LeadEvent("c1/1", "c1", "acme", 12L, 7L, AT, new LeadCreated(lead)),
        new LeadEvent("c3/0", "c3", "acme", 12L, 7L, AT.plusSeconds(60),
            new StatusChanged(LeadStatus.OPEN, lead.getStatusLogDetails().get(1))),
        new LeadEvent("c5/0", "c5", "acme", 12L, 7L, AT.plusSeconds(120),
            new FollowedUp(lead.getFollowUpDetails().get(0), "2026-12-01T10:00:00+05:30")));
  }

  public static List<CommandResult> results() {
    return List.of(
        new CommandResult("c1", "acme", AT, new Accepted(lead(), new ArrayList<>(List.of(new Reason("acme", 1L, "x"))),
            new SubStatus("acme", LeadStatus.LOST, "Gone")), null),
        new CommandResult("c2", "acme", AT, new Rejected(new ArrayList<>(List.of(new ApiError(92001, "Lead not found")))), null));
  }
}
