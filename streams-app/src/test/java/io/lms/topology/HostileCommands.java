package io.lms.topology;

import static io.lms.fuzz.HostileValues.number;
import static io.lms.fuzz.HostileValues.text;
import static io.lms.fuzz.HostileValues.weighted;

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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Commands as a careless or hostile producer could write them: every field of every payload
 * either absent, a value the rules accept (so that some commands get through and change state),
 * a near miss, an extreme or arbitrary Unicode (see {@link io.lms.fuzz.HostileValues}).
 */
final class HostileCommands {
  /** Orgs that {@link #commands()} mostly writes to; a fixture gives them reasons and sub-statuses. */
  static final List<String> ORGS = List.of("acme", "globex");
  /** Sub-statuses a fixture creates, so that generated commands can name existing ones. */
  static final Map<String, String> SUB_STATUSES = Map.of("OPEN", "Fresh", "LOST", "Gone");

  private HostileCommands() {}

  static Arbitrary<LeadCommand> commands() {
    Arbitrary<String> commandIds = Arbitraries.frequencyOf(
        weighted(1, Arbitraries.of("dup-1", "dup-2", "acme-cmd-1")),
        weighted(12, Arbitraries.strings().alpha().numeric().ofMinLength(8).ofMaxLength(24)),
        weighted(2, Arbitraries.strings().all().ofMaxLength(140)));
    Arbitrary<String> orgs = Arbitraries.frequencyOf(
        weighted(10, Arbitraries.of(ORGS)),
        weighted(1, Arbitraries.strings().all().ofMaxLength(70)),
        weighted(1, Arbitraries.of("", "acme/", "acme ", "ACME", "a".repeat(65))));
    Arbitrary<Instant> issuedAt = Arbitraries.frequencyOf(
        weighted(8, Arbitraries.longs().between(0, 400L * 24 * 3600 * 1000).map(TopologyFixture.START::plusMillis)),
        weighted(1, Arbitraries.longs().map(Instant::ofEpochMilli)));
    return Combinators.combine(commandIds, orgs, Arbitraries.longs(), issuedAt, payloads())
        .as(LeadCommand::new);
  }

  static Arbitrary<Object> payloads() {
    return Arbitraries.oneOf(create(), update(), changeStatus(), followUp(), reasons(), subStatus());
  }

  private static Arbitrary<Object> create() {
    Arbitrary<CreateLead.Builder> identity = Combinators.combine(
        text(), text(), number(), text(), text(), text(), text(), text()).as((type, leadFor, userId, idType, identifier,
        status, subStatus, owner) -> CreateLead.newBuilder().setType(type).setLeadFor(leadFor).setUserId(userId)
        .setIdType(idType).setIdentifier(identifier).setStatus(status).setSubStatus(subStatus).setOwner(owner));
    Arbitrary<CreateLead.Builder> times = Combinators.combine(identity, text(), text(), text(), number(), number())
        .as((lead, next, last, createdOn, createdBy, source) -> lead.setNextFollowUp(next).setLastFollowUp(last)
            .setCreatedOn(createdOn).setCreatedBy(createdBy).setOrgSourceId(source));
    return Combinators.combine(times, extendedFields(), followUpInputs().list().ofMaxSize(3), statusLogInputs(),
        longLists(followUpInputs(), 201)).as((lead, fields, followUps, statusLog, manyFollowUps) ->
        lead.setExtendedFields(fields).setFollowUpDetails(manyFollowUps.orElse(followUps))
            .setStatusLogDetails(statusLog).build());
  }

  private static Arbitrary<Object> update() {
    return Combinators.combine(number(), extendedFields().injectNull(0.2), text())
        .as(UpdateLead::new);
  }

  private static Arbitrary<Object> changeStatus() {
    return Combinators.combine(number(), text(), text(), number(), number(), text()).as(ChangeStatus::new);
  }

  private static Arbitrary<Object> followUp() {
    return Combinators.combine(number(), text(), number(), number(), text(), text(), text()).as(RecordFollowUp::new);
  }

  private static Arbitrary<Object> reasons() {
    return Arbitraries.frequencyOf(
        weighted(20, text().list().ofMaxSize(4)),
        weighted(1, text().map(reason -> Collections.nCopies(101, reason))))
        .map(ConfigureReasons::new);
  }

  private static Arbitrary<Object> subStatus() {
    return Combinators.combine(text(), text()).as(CreateSubStatus::new);
  }

  private static Arbitrary<FollowUpInput> followUpInputs() {
    return Combinators.combine(text(), text(), number(), text(), text()).as(FollowUpInput::new);
  }

  private static Arbitrary<List<StatusLogInput>> statusLogInputs() {
    return Combinators.combine(text(), text(), number(), text(), number()).as(StatusLogInput::new).list().ofMaxSize(3);
  }

  /** Now and then a list one longer than a lead may hold. */
  private static <T> Arbitrary<Optional<List<T>>> longLists(Arbitrary<T> items, int size) {
    return items.map(item -> Collections.nCopies(size, item)).optional(0.02);
  }

  private static Arbitrary<Map<String, String>> extendedFields() {
    Arbitrary<String> keys = Arbitraries.frequencyOf(
        weighted(8, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12)),
        weighted(1, Arbitraries.strings().all().ofMaxLength(70)));
    Arbitrary<String> values = Arbitraries.frequencyOf(
        weighted(20, Arbitraries.strings().all().ofMaxLength(20)),
        weighted(1, Arbitraries.strings().ascii().ofLength(1001)));
    return Arbitraries.frequencyOf(
        weighted(10, Arbitraries.maps(keys, values).ofMaxSize(4)),
        weighted(1, Arbitraries.maps(keys, values).ofMinSize(45).ofMaxSize(55)));
  }
}
