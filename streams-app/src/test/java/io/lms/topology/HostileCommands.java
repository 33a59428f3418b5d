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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/**
 * Commands as a careless or hostile producer could write them: every field of every payload
 * either absent, a value the rules accept (so that some commands get through and change state),
 * a near miss, an extreme (Long.MIN_VALUE, year 999999999, 2,000 characters) or arbitrary Unicode.
 */
final class HostileCommands {
  /** Orgs that {@link #commands()} mostly writes to; a fixture gives them reasons and sub-statuses. */
  static final List<String> ORGS = List.of("acme", "globex");
  /** Sub-statuses a fixture creates, so that generated commands can name existing ones. */
  static final Map<String, String> SUB_STATUSES = Map.of("OPEN", "Fresh", "LOST", "Gone");

  private static final List<String> NEAR_MISSES = List.of(
      "OPEN", "won", " LOST ", "ON_HOLD", "DELETED", "MAYBE", "SKU", "brand", "CUSTOM", "ALL", "EMAIL", "mobile",
      "SMS", "Fresh", "Gone", "fresh", "sam", "ann.lee@example.com", "bad owner!", "+1 555 0100", "a@example.com",
      "A@EXAMPLE.COM", "2026-12-01T10:00:00+05:30", "2026-12-01T10:00:00Z", "2026-12-01T10:00:00",
      "2026-13-01T00:00:00Z", "+999999999-12-31T23:59:59-18:00", "-999999999-01-01T00:00:00+18:00",
      "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z", "0000-01-01T00:00:00Z", "", " ", "\u0000",
      "null", "-1", "92001", "../../etc/passwd", "acme/00000000000000000001", "~", "\uD800", "e\u0301");

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

  /** A text field: absent, a value the rules know (or nearly), arbitrary Unicode, blank, or too long. */
  static Arbitrary<String> text() {
    return Arbitraries.frequencyOf(
        weighted(3, Arbitraries.just(null)),
        weighted(4, Arbitraries.of(NEAR_MISSES)),
        weighted(2, Arbitraries.strings().all().ofMaxLength(30)),
        weighted(1, Arbitraries.strings().withChars(" \t\n\u00a0\u2028\u3000").ofMaxLength(4)),
        weighted(1, Arbitraries.strings().ascii().ofMinLength(254).ofMaxLength(2001)));
  }

  /** A whole-number field: absent, a small id that may exist, or any long (MIN_VALUE, -1, 0 and MAX_VALUE among them). */
  static Arbitrary<Long> number() {
    return Arbitraries.frequencyOf(
        weighted(3, Arbitraries.just(null)),
        weighted(4, Arbitraries.longs().between(-2, 6)),
        weighted(2, Arbitraries.longs()));
  }

  static <T> Tuple2<Integer, Arbitrary<? extends T>> weighted(int weight, Arbitrary<? extends T> arbitrary) {
    return Tuple.of(weight, arbitrary);
  }
}
