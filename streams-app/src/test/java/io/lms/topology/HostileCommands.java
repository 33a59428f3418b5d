package io.lms.topology;

import static io.lms.fuzz.HostileValues.number;
import static io.lms.fuzz.HostileValues.text;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.lms.fuzz.HostileValues;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Commands as a careless or hostile producer could write them, read from the fuzzer's input:
 * every field of every payload either absent, a value the rules accept (so that some commands get
 * through and change state), a near miss, an extreme or arbitrary Unicode (see
 * {@link io.lms.fuzz.HostileValues}).
 */
final class HostileCommands {
  /** Orgs that {@link #command} mostly writes to; a fixture gives them reasons and sub-statuses. */
  static final List<String> ORGS = List.of("acme", "globex");
  /** Sub-statuses a fixture creates, so that generated commands can name existing ones. */
  static final Map<String, String> SUB_STATUSES = Map.of("OPEN", "Fresh", "LOST", "Gone");
  private static final List<String> REPEATED_IDS = List.of("dup-1", "dup-2", "acme-cmd-1");
  private static final List<String> ODD_ORGS = List.of("", "acme/", "acme ", "ACME", "a".repeat(65));
  private static final long DAY_MILLIS = 24L * 3600 * 1000;

  private HostileCommands() {}

  static LeadCommand command(FuzzedDataProvider data) {
    String commandId = commandId(data);
    String org = org(data);
    long actorId = data.consumeLong();
    Instant issuedAt = data.consumeInt(0, 8) < 8
        ? TopologyFixture.START.plusMillis(data.consumeLong(0, 400 * DAY_MILLIS))
        : Instant.ofEpochMilli(data.consumeLong());
    return new LeadCommand(commandId, org, actorId, issuedAt, payload(data));
  }

  /** Now and then an id the fixture or another command used; mostly a fresh one. */
  private static String commandId(FuzzedDataProvider data) {
    int kind = data.consumeInt(0, 14);
    if (kind == 0) {
      return data.pickValue(REPEATED_IDS);
    }
    return kind <= 12 ? HostileValues.chars(data, HostileValues.ALPHANUMERIC, 8, 24) : data.consumeString(140);
  }

  private static String org(FuzzedDataProvider data) {
    int kind = data.consumeInt(0, 11);
    if (kind <= 9) {
      return data.pickValue(ORGS);
    }
    return kind == 10 ? data.consumeString(70) : data.pickValue(ODD_ORGS);
  }

  static Object payload(FuzzedDataProvider data) {
    return switch (data.consumeInt(0, 5)) {
      case 0 -> create(data);
      case 1 -> new UpdateLead(number(data), data.consumeInt(0, 4) == 0 ? null : extendedFields(data), text(data));
      case 2 -> new ChangeStatus(number(data), text(data), text(data), number(data), number(data), text(data));
      case 3 -> new RecordFollowUp(number(data), text(data), number(data), number(data), text(data), text(data),
          text(data));
      case 4 -> reasons(data);
      default -> new CreateSubStatus(text(data), text(data));
    };
  }

  private static CreateLead create(FuzzedDataProvider data) {
    CreateLead.Builder lead = CreateLead.newBuilder().setType(text(data)).setLeadFor(text(data))
        .setUserId(number(data)).setIdType(text(data)).setIdentifier(text(data)).setStatus(text(data))
        .setSubStatus(text(data)).setOwner(text(data)).setNextFollowUp(text(data)).setLastFollowUp(text(data))
        .setCreatedOn(text(data)).setCreatedBy(number(data)).setOrgSourceId(number(data))
        .setExtendedFields(extendedFields(data));
    // Now and then one more follow-up than a lead may hold.
    lead.setFollowUpDetails(data.consumeInt(0, 49) == 0
        ? Collections.nCopies(201, followUpInput(data))
        : list(data, 3, HostileCommands::followUpInput));
    lead.setStatusLogDetails(list(data, 3, input -> new StatusLogInput(text(input), text(input), number(input),
        text(input), number(input))));
    return lead.build();
  }

  private static FollowUpInput followUpInput(FuzzedDataProvider data) {
    return new FollowUpInput(text(data), text(data), number(data), text(data), text(data));
  }

  /** Now and then one more reason than an org may hold. */
  private static ConfigureReasons reasons(FuzzedDataProvider data) {
    if (data.consumeInt(0, 20) == 0) {
      return new ConfigureReasons(Collections.nCopies(101, text(data)));
    }
    return new ConfigureReasons(list(data, 4, HostileValues::text));
  }

  /** Mostly a few fields with plain names, now and then more than a lead may hold or a very long value. */
  private static Map<String, String> extendedFields(FuzzedDataProvider data) {
    int size = data.consumeInt(0, 10) < 10 ? data.consumeInt(0, 4) : data.consumeInt(45, 55);
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 0; i < size; i++) {
      String key = data.consumeInt(0, 8) < 8 ? HostileValues.chars(data, HostileValues.ALPHA, 1, 12)
          : data.consumeString(70);
      String value = data.consumeInt(0, 20) < 20 ? data.consumeString(20) : HostileValues.longAscii(data, 1001, 1001);
      fields.put(key, value);
    }
    return fields;
  }

  private static <T> List<T> list(FuzzedDataProvider data, int maxSize, Function<FuzzedDataProvider, T> item) {
    int size = data.consumeInt(0, maxSize);
    List<T> items = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      items.add(item.apply(data));
    }
    return items;
  }
}
