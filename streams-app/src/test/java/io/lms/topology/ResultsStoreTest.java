package io.lms.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.schema.Accepted;
import io.lms.schema.CommandResult;
import io.lms.schema.LeadCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.rocksdb.Options;

/**
 * The store that remembers each command's first result, keyed by a hash of the command, with a
 * prefix filter on that hash (LmsRocksDbConfig).
 */
class ResultsStoreTest {
  private static final Duration ONE_DAY = Duration.ofDays(1);

  /** LMS's settings, with write buffers small enough that a few hundred results reach files. */
  public static final class SmallBuffers implements RocksDBConfigSetter {
    static final Set<String> CONFIGURED = ConcurrentHashMap.newKeySet();
    private final LmsRocksDbConfig lms = new LmsRocksDbConfig();

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
      lms.setConfig(storeName, options, configs);
      if (LmsRocksDbConfig.isResultsSegment(storeName)) {
        CONFIGURED.add(storeName);
        options.setWriteBufferSize(64 * 1024);
        options.setLevel0FileNumCompactionTrigger(2);
      }
    }

    @Override
    public void close(String storeName, Options options) {
      lms.close(storeName, options);
    }
  }

  private TopologyFixture lms;
  private CommandResult firstResult;

  @AfterEach
  void close() {
    if (lms != null) {
      lms.close();
    }
  }

  @Test
  void everyRetryFindsItsFirstResultOnceTheResultsAreInFilesAndCompacted() {
    Properties props = new Properties();
    props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, SmallBuffers.class);
    lms = new TopologyFixture(TopologySettings.defaults(), props);
    List<LeadCommand> sent = new ArrayList<>();
    List<CommandResult> firsts = new ArrayList<>();
    for (String org : List.of("acme", "acme.eu", "globex")) {
      Commands commands = new Commands(org);
      for (int i = 0; i < 400; i++) {
        LeadCommand create = commands.create(Commands.lead("c" + i + "@example.com"));
        sent.add(create);
        firsts.add(lms.send(create));
      }
    }
    lms.drainEvents();
    lms.leads.readValuesToList();

    for (int i = 0; i < sent.size(); i++) {
      assertThat(lms.send(sent.get(i))).as("retry of %s", sent.get(i).getCommandId()).isEqualTo(firsts.get(i));
    }

    assertThat(SmallBuffers.CONFIGURED).as("the results store's segments, as Kafka Streams names them").isNotEmpty();
    assertThat(lms.drainEvents()).isEmpty();
    assertThat(lms.leads.isEmpty()).isTrue();
    assertThat(lms.storedLead("acme", 401)).isNull();
  }

  @Test
  void aResultStoredUnderAnotherCommandsKeyIsNotTakenForItsOwn() {
    lms = new TopologyFixture();
    Commands acme = new Commands("acme");
    CommandResult applied = lms.send(acme.create(Commands.lead("a@example.com")));
    long now = TopologyFixture.START.toEpochMilli();
    // What a hash collision would look like: the key of command "x" holding another's result, in
    // the bucket where the processor stores and looks for the results of now.
    WindowStore<Bytes, CommandResult> store = lms.driver.getWindowStore(StoreNames.COMMAND_RESULTS);
    RememberedResults results = new RememberedResults(store, TopologySettings.defaults().idempotencyRetention());
    store.put(StoreKeys.command("acme", "x"), applied, results.storedAtTimeOf(now));
    LeadStores stores = lms.processorStores();

    assertThat(stores.result("acme", "x", now)).isEmpty();
    assertThat(stores.result("acme", applied.getCommandId(), now)).contains(applied);
  }

  @Test
  void aRetryIsRecognisedForTheWholeRetentionWhicheverBucketsItsFirstTimeAndItsRetryFallIn() {
    LeadCommand create = createWithOneDayRetention();
    lms.drainEvents();
    lms.leads.readValuesToList();
    // Another command now and then moves the store's time on, as real traffic does.
    Commands globex = new Commands("globex");

    // Buckets of twelve hours from midnight: the first is applied at 10:00, so its retries cross two.
    for (Duration elapsed = Duration.ZERO; elapsed.compareTo(ONE_DAY) < 0; elapsed = elapsed.plusMinutes(50)) {
      lms.driver.advanceWallClockTime(Duration.ofMinutes(50));
      lms.send(globex.create(Commands.lead("g@example.com")));
      assertThat(lms.send(create)).as("retry %s after the first", elapsed.plusMinutes(50)).isEqualTo(firstResult);
    }
    assertThat(lms.storedLead("acme", 2)).isNull();
  }

  @Test
  void aCommandIsForgottenAtTheLatestOneAndAHalfRetentionsLater() {
    LeadCommand create = createWithOneDayRetention();

    lms.driver.advanceWallClockTime(ONE_DAY.plus(ONE_DAY.dividedBy(2)));
    CommandResult again = lms.send(create);

    assertThat(again.getOutcome()).isInstanceOf(Accepted.class);
    assertThat(lms.storedLead("acme", 2)).as("applied afresh").isNotNull();
  }

  /** A topology remembering commands for a day, and one lead created in it at the fixture's start ({@link #firstResult}). */
  private LeadCommand createWithOneDayRetention() {
    TopologySettings defaults = TopologySettings.defaults();
    lms = new TopologyFixture(new TopologySettings(defaults.serverZone(), defaults.autoRegisterCustomers(),
        defaults.autoCloseAfter(), defaults.autoCloseInterval(), ONE_DAY, 1));
    LeadCommand create = new Commands("acme").create(Commands.lead("a@example.com"));
    firstResult = lms.send(create);
    return create;
  }
}
