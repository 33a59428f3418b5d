package io.lms.topology;

import io.lms.schema.ChangeStatus;
import io.lms.schema.ConfigureReasons;
import io.lms.schema.CreateLead;
import io.lms.schema.CreateSubStatus;
import io.lms.schema.FollowUpInput;
import io.lms.schema.LeadCommand;
import io.lms.schema.RecordFollowUp;
import io.lms.schema.StatusLogInput;
import io.lms.schema.UpdateLead;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Builds commands the way the HTTP layer or an upstream producer would. */
public final class Commands {
  public static final long STAFF = 15002926L;

  private final String org;
  private final AtomicLong ids = new AtomicLong();
  private Instant clock = TopologyFixture.START;

  public Commands(String org) {
    this.org = org;
  }

  /** The next command is issued this much later than the previous one. */
  public Commands tick(long millis) {
    clock = clock.plusMillis(millis);
    return this;
  }

  public Instant now() {
    return clock;
  }

  public LeadCommand command(Object payload) {
    clock = clock.plusSeconds(1);
    return new LeadCommand(org + "-cmd-" + ids.incrementAndGet(), org, STAFF, clock, payload);
  }

  public LeadCommand reasons(String... texts) {
    return command(new ConfigureReasons(Arrays.asList(texts)));
  }

  public LeadCommand subStatus(String status, String name) {
    return command(new CreateSubStatus(status, name));
  }

  public static CreateLead.Builder lead(String email) {
    return CreateLead.newBuilder().setLeadFor("item001").setIdType("EMAIL").setIdentifier(email);
  }

  public LeadCommand create(CreateLead.Builder lead) {
    return command(lead.build());
  }

  /** The "Add Lead" sample request of leads-api-v2.md, as its JSON body: {@link #sampleCreate()}'s twin. */
  public static final String SAMPLE_CREATE_JSON = """
        {"type":"SKU","leadFor":"item001","idType":"EMAIL","identifier":"tom.sawyer@example.com","status":"ON_HOLD",
         "nextFollowUp":"2018-10-05T08:00:00+05:30","createdOn":"2018-10-04T13:30:00+05:30","createdBy":28812689,
         "followUpDetails":[{"scheduledFollowUp":"2018-10-04T12:30:00+05:30","followedUpOn":"2018-10-04T12:45:00+05:30",
           "followedUpBy":28812689,"notes":"notes 1","nextFollowUp":"2018-10-04T13:15:00+05:30"},
           {"scheduledFollowUp":"2018-10-04T12:30:00+05:30","followedUpOn":"2018-10-04T12:45:00+05:30",
           "followedUpBy":28812689,"notes":"notes 2","nextFollowUp":"2018-10-04T13:15:00+05:30"}],
         "extendedFields":{"trial_status":"Not Done"},
         "statusLogDetails":[{"status":"OPEN","createdBy":28812689,"reasonId":1},{"status":"ON_HOLD","createdBy":28812689,"reasonId":2}],
         "orgSourceId":-1}""";

  /** The "Add Lead" sample request of leads-api-v2.md. */
  public static CreateLead sampleCreate() {
    FollowUpInput followUp1 = new FollowUpInput("2018-10-04T12:30:00+05:30", "2018-10-04T12:45:00+05:30",
        28812689L, "notes 1", "2018-10-04T13:15:00+05:30");
    FollowUpInput followUp2 = new FollowUpInput("2018-10-04T12:30:00+05:30", "2018-10-04T12:45:00+05:30",
        28812689L, "notes 2", "2018-10-04T13:15:00+05:30");
    return CreateLead.newBuilder()
        .setType("SKU").setLeadFor("item001").setIdType("EMAIL").setIdentifier("tom.sawyer@example.com")
        .setStatus("ON_HOLD").setNextFollowUp("2018-10-05T08:00:00+05:30")
        .setCreatedOn("2018-10-04T13:30:00+05:30").setCreatedBy(28812689L)
        .setFollowUpDetails(List.of(followUp1, followUp2))
        .setExtendedFields(Map.of("trial_status", "Not Done"))
        .setStatusLogDetails(List.of(
            new StatusLogInput("OPEN", null, 28812689L, null, 1L),
            new StatusLogInput("ON_HOLD", null, 28812689L, null, 2L)))
        .setOrgSourceId(-1L)
        .build();
  }

  public LeadCommand update(long leadId, Map<String, String> extendedFields, String owner) {
    return command(new UpdateLead(leadId, extendedFields, owner));
  }

  public LeadCommand status(long leadId, String status, Long reasonId, String subStatus) {
    return command(new ChangeStatus(leadId, status, subStatus, reasonId, null, null));
  }

  public LeadCommand followUp(long leadId, String followedUpOn, String nextFollowUp) {
    return command(new RecordFollowUp(leadId, followedUpOn, null, 124L, nextFollowUp, null, null));
  }
}
