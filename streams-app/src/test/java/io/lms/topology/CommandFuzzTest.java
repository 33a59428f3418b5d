package io.lms.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.lms.domain.CommandHandler;
import io.lms.domain.ErrorCode;
import io.lms.fuzz.ByteMutation;
import io.lms.schema.Accepted;
import io.lms.schema.ApiError;
import io.lms.schema.CommandResult;
import io.lms.schema.LeadCommand;
import io.lms.schema.LeadState;
import io.lms.schema.OrgSequences;
import io.lms.schema.Rejected;
import io.lms.schema.codec.SingleObjectCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * Fuzzes the command topic: arbitrary bytes, hostile commands and mutated encodings of them, into
 * the real topology (TopologyTestDriver) holding two orgs with reasons, sub-statuses and leads.
 * Whatever arrives, processing never throws; a record that decodes gets exactly one result
 * (accepted, or rejected with the API's codes and nothing written), one that does not goes to the
 * dead-letter path and nothing else; the stores keep decoding and the org's sequences never go back.
 *
 * <p>Each target has one topology for all its inputs, as in production: a fresh one per input
 * costs about a second here (RocksDB stores, exactly-once), a hundred times an input. So an input
 * meets the state the earlier ones left; one that needs a lead or a repeated commandId brings its
 * own where it can (an input of {@link #hostileCommandsGetExactlyOneResult} carries up to four
 * commands). Seeds and findings are under
 * {@code src/test/resources/io/lms/topology/CommandFuzzTestInputs} (README, "Fuzzing");
 * {@link CommandFuzzSeedsTest} writes the seeds.
 */
class CommandFuzzTest {
  private static final SingleObjectCodec<LeadCommand> CODEC = SingleObjectCodec.of(LeadCommand.class);
  private static final Set<Integer> API_CODES =
      Arrays.stream(ErrorCode.values()).map(ErrorCode::code).collect(Collectors.toSet());
  /** The encoding's marker and schema fingerprint: most arbitrary bytes would fail there, these get past it. */
  static final byte[] HEADER = Arrays.copyOf(CODEC.encode(new Commands("acme").reasons("r")), 10);
  private static final Map<String, Target> TARGETS = new ConcurrentHashMap<>();

  private Target target;
  private TopologyFixture lms;

  /** One record as sent to the command topic; its text shows the bytes, so that two inputs compare by it. */
  record Sent(String key, byte[] value) {
    @Override
    public String toString() {
      return "Sent[key=" + key + ", value=" + (value == null ? "null" : HexFormat.of().formatHex(value)) + "]";
    }
  }

  /** The topology of one target, with what the checks remember of it across inputs. */
  private static final class Target {
    final List<ProcessingExceptionHandler.Response> deadLetters = new ArrayList<>();
    final Map<String, OrgSequences> lastSequences = new HashMap<>();
    /** First results by org and commandId: generated commands repeat an id now and then. */
    final Map<List<String>, CommandResult> firstResults = new HashMap<>();
    final TopologyFixture lms;

    /** Two orgs, each with two reasons, the sub-statuses OPEN/Fresh and LOST/Gone, and three leads. */
    Target() {
      Properties props = new Properties();
      props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterRecorder.class);
      props.put(DeadLetterRecorder.SINK, deadLetters);
      lms = new TopologyFixture(TopologySettings.defaults(), props);
      for (String org : HostileCommands.ORGS) {
        Commands commands = new Commands(org);
        remember(lms.send(commands.reasons("Out of stock", "Best price elsewhere")));
        HostileCommands.SUB_STATUSES.forEach((status, name) -> remember(lms.send(commands.subStatus(status, name))));
        for (int i = 0; i < 3; i++) {
          remember(lms.send(commands.create(Commands.lead(i + "@example.com"))));
        }
        lastSequences.put(org, sequences(lms, org));
      }
      lms.drainEvents();
      lms.leads.readValuesToList();
    }

    void remember(CommandResult result) {
      firstResults.put(List.of(result.getOrgId(), result.getCommandId()), result);
    }
  }

  @BeforeEach
  void givenOrgsWithReasonsSubStatusesAndLeads(TestInfo test) {
    target = TARGETS.computeIfAbsent(test.getTestMethod().orElseThrow().getName(), name -> new Target());
    lms = target.lms;
  }

  @AfterAll
  static void thenEveryStoredLeadDecodesUnderItsKeyWithinItsOrgsSequence() {
    try {
      for (Target target : TARGETS.values()) {
        try (KeyValueIterator<String, LeadState> all = target.lms.leadStore().all()) {
          all.forEachRemaining(entry -> thenStoredUnderItsKeyWithinItsOrgsSequence(target.lms, entry.key, entry.value));
        }
      }
    } finally {
      TARGETS.values().forEach(target -> target.lms.close());
      TARGETS.clear();
    }
  }

  @FuzzTest(maxDuration = "5m")
  void arbitraryBytesAreDeadLetteredOrAnswered(FuzzedDataProvider data) {
    whenSentThenOneResultOrOneDeadLetterEach(arbitraryBytes(data));
  }

  @FuzzTest(maxDuration = "5m")
  void hostileCommandsGetExactlyOneResult(FuzzedDataProvider data) {
    whenSentThenOneResultOrOneDeadLetterEach(hostileCommands(data));
  }

  @FuzzTest(maxDuration = "5m")
  void mutatedCommandsAreDeadLetteredOrAnswered(FuzzedDataProvider data) {
    whenSentThenOneResultOrOneDeadLetterEach(mutatedCommands(data));
  }

  // ---- what each target reads from the fuzzer's input (CommandFuzzSeedsTest writes seeds through the same)

  /** One record: absent, arbitrary, or arbitrary behind the header of a valid encoding. */
  static List<Sent> arbitraryBytes(FuzzedDataProvider data) {
    String key = key(data);
    return List.of(switch (data.consumeInt(0, 2)) {
      case 0 -> new Sent(key, null);
      case 1 -> new Sent(key, concat(HEADER, data.consumeRemainingAsBytes()));
      default -> new Sent(key, data.consumeRemainingAsBytes());
    });
  }

  /** One to four commands, mostly keyed by their org as a producer should; else by an arbitrary key, which must be rejected. */
  static List<Sent> hostileCommands(FuzzedDataProvider data) {
    return keyedHostileCommands(data).stream().map(keyed -> new Sent(keyed.key(), CODEC.encode(keyed.command()))).toList();
  }

  record Keyed(String key, LeadCommand command) {}

  static List<Keyed> keyedHostileCommands(FuzzedDataProvider data) {
    int count = data.consumeInt(1, 4);
    List<Keyed> sent = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      LeadCommand command = HostileCommands.command(data);
      String key = key(data);
      sent.add(new Keyed(key != null && HostileCommands.ORGS.contains(key) ? command.getOrgId() : key, command));
    }
    return sent;
  }

  /** One command whose encoding is then mutated: a bit flipped, bytes set, inserted, deleted, repeated or cut off. */
  static List<Sent> mutatedCommands(FuzzedDataProvider data) {
    LeadCommand command = HostileCommands.command(data);
    return List.of(new Sent(command.getOrgId(), ByteMutation.applyAll(ByteMutation.some(data), CODEC.encode(command))));
  }

  private static String key(FuzzedDataProvider data) {
    if (data.consumeInt(0, 8) < 8) {
      return data.pickValue(HostileCommands.ORGS);
    }
    return data.consumeInt(0, 4) == 0 ? null : data.consumeString(20);
  }

  private static byte[] concat(byte[] head, byte[] tail) {
    byte[] value = Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, value, head.length, tail.length);
    return value;
  }

  // ---- what must hold

  private void whenSentThenOneResultOrOneDeadLetterEach(List<Sent> records) {
    for (Sent record : records) {
      whenSentThenOneResultOrOneDeadLetter(record.key(), record.value());
    }
    // Not checked here: read so that they do not pile up in the driver over a long fuzzing run.
    lms.reasons.readValuesToList();
    lms.subStatuses.readValuesToList();
  }

  private static void thenStoredUnderItsKeyWithinItsOrgsSequence(TopologyFixture lms, String key, LeadState lead) {
    assertThat(key).isEqualTo(StoreKeys.lead(lead.getOrgId(), lead.getId()));
    assertThat(lead.getId()).isBetween(1L, sequences(lms, lead.getOrgId()).getLastLeadId());
  }

  private void whenSentThenOneResultOrOneDeadLetter(String key, byte[] value) {
    Optional<LeadCommand> decoded = decode(value);
    List<ProcessingExceptionHandler.Response> deadLetters = target.deadLetters;
    deadLetters.clear();

    lms.rawCommands.pipeInput(key, value);

    List<KeyValue<String, CommandResult>> results = lms.results.readKeyValuesToList();
    List<LeadState> leads = lms.leads.readValuesToList();
    if (decoded.isEmpty()) {
      assertThat(results).as("results of an undecodable record").isEmpty();
      assertThat(lms.drainEvents()).as("events of an undecodable record").isEmpty();
      assertThat(leads).isEmpty();
      assertThat(deadLetters).as("dead letters").hasSize(1);
      assertThat(deadLetters.get(0).result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
      assertThat(deadLetters.get(0).deadLetterQueueRecords()).as("the record for the dead-letter topic").hasSize(1);
      return;
    }
    LeadCommand command = decoded.get();
    assertThat(deadLetters).as("dead letters of a decodable command").isEmpty();
    assertThat(results).as("results of %s", command).hasSize(1);
    CommandResult result = results.get(0).value;
    assertThat(results.get(0).key).isEqualTo(command.getOrgId());
    assertThat(result.getCommandId()).isEqualTo(command.getCommandId());
    CommandResult first = target.firstResults.get(List.of(command.getOrgId(), command.getCommandId()));
    if (first != null && CommandHandler.isValidOrgId(command.getOrgId())) {
      // A repeated commandId: its first result again if it is the same request, else refused as a
      // reused key (93023); either way nothing written.
      boolean reusedKey = result.getOutcome() instanceof Rejected refused
          && refused.getErrors().stream().allMatch(e -> e.getCode() == ErrorCode.IDEMPOTENCY_KEY_REUSED.code());
      if (!reusedKey) {
        assertThat(result).isEqualTo(first);
      }
      assertThat(leads).as("leads written by a repeated command").isEmpty();
      assertThat(lms.drainEvents()).as("events of a repeated command").isEmpty();
      return;
    }
    target.remember(result);
    if (result.getOutcome() instanceof Rejected rejected) {
      assertThat(rejected.getErrors()).isNotEmpty();
      for (ApiError error : rejected.getErrors()) {
        assertThat(API_CODES).as("code of %s", error).contains(error.getCode());
        assertThat(error.getMessage()).isNotBlank().hasSizeLessThan(1_000);
      }
      assertThat(leads).as("leads written by a rejected command").isEmpty();
    } else {
      LeadState lead = ((Accepted) result.getOutcome()).getLead();
      for (LeadState written : leads) {
        assertThat(lms.storedLead(written.getOrgId(), written.getId())).isEqualTo(written);
        thenStoredUnderItsKeyWithinItsOrgsSequence(lms, StoreKeys.lead(written.getOrgId(), written.getId()), written);
      }
      if (lead != null) {
        assertThat(leads).containsExactly(lead);
      }
    }
    lms.drainEvents();
    thenSequencesNeverWentBack(command.getOrgId());
  }

  private void thenSequencesNeverWentBack(String org) {
    OrgSequences now = sequences(lms, org);
    OrgSequences before = target.lastSequences.getOrDefault(org, now);
    assertThat(now.getLastLeadId()).isGreaterThanOrEqualTo(before.getLastLeadId());
    assertThat(now.getLastFollowUpId()).isGreaterThanOrEqualTo(before.getLastFollowUpId());
    assertThat(now.getLastStatusLogId()).isGreaterThanOrEqualTo(before.getLastStatusLogId());
    assertThat(now.getLastReasonId()).isGreaterThanOrEqualTo(before.getLastReasonId());
    assertThat(now.getLastUserId()).isGreaterThanOrEqualTo(before.getLastUserId());
    target.lastSequences.put(org, now);
  }

  private static OrgSequences sequences(TopologyFixture lms, String org) {
    OrgSequences stored = lms.driver.<String, OrgSequences>getKeyValueStore(StoreNames.ORG_SEQUENCES).get(org);
    return stored != null ? stored : OrgSequences.newBuilder().setOrgId(org).build();
  }

  private static Optional<LeadCommand> decode(byte[] value) {
    try {
      return Optional.of(CODEC.decode(value));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The application's processing exception handler, recording what it answers. */
  public static final class DeadLetterRecorder implements ProcessingExceptionHandler {
    static final String SINK = "lms.test.dead-letter-sink";
    private final LmsProcessingExceptionHandler lms = new LmsProcessingExceptionHandler();
    private List<Response> sink;

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs) {
      lms.configure(configs);
      sink = (List<Response>) configs.get(SINK);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception e) {
      Response response = lms.handleError(context, record, e);
      sink.add(response);
      return response;
    }
  }
}
