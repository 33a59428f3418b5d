package io.lms.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.schema.ChangeStatus;
import io.lms.schema.CommandResult;
import io.lms.schema.ConfigureReasons;
import io.lms.schema.CreateLead;
import io.lms.schema.CreateSubStatus;
import io.lms.schema.LeadCommand;
import io.lms.schema.RecordFollowUp;
import io.lms.schema.Rejected;
import io.lms.schema.codec.SingleObjectCodec;
import io.lms.topology.LmsTopics;
import io.lms.topology.LmsTopology;
import io.lms.topology.TopologySettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandMixTest {
  private static final SingleObjectCodec<LeadCommand> CODEC = SingleObjectCodec.of(LeadCommand.class);

  @Test
  void theSameSeedGivesTheSameBytes() {
    List<byte[]> first = encoded(new CommandMix(7, 20), 3_000);
    List<byte[]> second = encoded(new CommandMix(7, 20), 3_000);
    List<byte[]> otherSeed = encoded(new CommandMix(8, 20), 3_000);

    for (int i = 0; i < first.size(); i++) {
      assertThat(second.get(i)).as("command %d", i).isEqualTo(first.get(i));
    }
    assertThat(otherSeed.get(100)).isNotEqualTo(first.get(100));
  }

  @Test
  void everyOrgIsSetUpBeforeItsFirstLeadAndEveryCommandIdIsUnique() {
    var mix = new CommandMix(42, 50);
    Map<String, List<Object>> byOrg = new HashMap<>();
    Set<String> commandIds = new HashSet<>();
    for (int i = 0; i < 20_000; i++) {
      LeadCommand command = mix.next();
      assertThat(commandIds.add(command.getCommandId())).as("unique %s", command.getCommandId()).isTrue();
      byOrg.computeIfAbsent(command.getOrgId(), org -> new ArrayList<>()).add(command.getPayload());
    }

    assertThat(byOrg).hasSize(50);
    byOrg.values().forEach(payloads -> {
      assertThat(payloads.get(0)).isInstanceOf(ConfigureReasons.class);
      assertThat(payloads.get(1)).isInstanceOf(CreateSubStatus.class);
      assertThat(payloads.get(2)).isInstanceOf(CreateLead.class);
    });
  }

  @Test
  void theMixIsMostlyCreationsThenStatusChangesThenFollowUps() {
    var mix = new CommandMix(42, 100);
    for (int i = 0; i < 100_000; i++) {
      mix.next();
    }

    CommandMix.Counts counts = mix.counts();
    double leadCommands = counts.createLead + counts.changeStatus + counts.recordFollowUp;
    assertThat(counts.configureReasons).isEqualTo(100);
    assertThat(counts.createSubStatus).isEqualTo(100);
    assertThat(counts.createLead / leadCommands).isBetween(0.58, 0.62);
    assertThat(counts.changeStatus / leadCommands).isBetween(0.23, 0.27);
    assertThat(counts.recordFollowUp / leadCommands).isBetween(0.13, 0.17);
    assertThat(counts.expectedRejections()).isPositive().isLessThan(counts.changeStatus / 10);
  }

  /** The mix models the LMS rules: what it expects to be rejected is exactly what LMS rejects. */
  @Test
  void lmsRejectsExactlyTheCommandsTheMixMeantToBeRejected(@TempDir Path stateDir) {
    var topics = LmsTopics.withPrefix("test.");
    var mix = new CommandMix(42, 20);
    var rejections = new TreeMap<Integer, Integer>();
    int results = 0;
    try (var driver = new TopologyTestDriver(LmsTopology.build(topics, TopologySettings.defaults()), props(stateDir))) {
      var input = driver.createInputTopic(topics.commands().name(), new StringSerializer(),
          topics.commands().valueSerde().serializer());
      var output = driver.createOutputTopic(topics.results().name(), new StringDeserializer(),
          topics.results().valueSerde().deserializer());
      for (int i = 0; i < 8_000; i++) {
        LeadCommand command = mix.next();
        input.pipeInput(command.getOrgId(), command);
        for (CommandResult result : output.readValuesToList()) {
          results++;
          if (result.getOutcome() instanceof Rejected rejected) {
            rejections.merge(rejected.getErrors().get(0).getCode(), 1, Integer::sum);
          }
        }
      }
    }

    assertThat(results).isEqualTo(8_000);
    assertThat(rejections.keySet()).isSubsetOf(92002, 92024);
    assertThat(rejections.values().stream().mapToLong(Integer::longValue).sum())
        .isEqualTo(mix.counts().expectedRejections());
    assertThat(rejections.getOrDefault(92002, 0)).isEqualTo((int) mix.counts().expectedDuplicateStatus);
  }

  @Test
  void statusChangesAndFollowUpsNameLeadsThatExist() {
    var mix = new CommandMix(42, 10);
    Map<String, Long> created = new HashMap<>();
    for (int i = 0; i < 20_000; i++) {
      LeadCommand command = mix.next();
      Object payload = command.getPayload();
      if (payload instanceof CreateLead) {
        created.merge(command.getOrgId(), 1L, Long::sum);
      } else if (payload instanceof ChangeStatus change) {
        assertThat(change.getLeadId()).isBetween(1L, created.get(command.getOrgId()));
        assertThat(change.getReasonId()).isBetween(1L, (long) CommandMix.REASONS.size());
      } else if (payload instanceof RecordFollowUp followUp) {
        assertThat(followUp.getLeadId()).isBetween(1L, created.get(command.getOrgId()));
      }
    }
  }

  static Properties props(Path stateDir) {
    var props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    return props;
  }

  private static List<byte[]> encoded(CommandMix mix, int count) {
    List<byte[]> commands = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      commands.add(CODEC.encode(mix.next()));
    }
    return commands;
  }
}
