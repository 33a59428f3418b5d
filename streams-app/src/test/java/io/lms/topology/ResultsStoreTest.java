package io.lms.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.schema.CommandResult;
import io.lms.schema.LeadCommand;
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
    // What a hash collision would look like: the key of command "x" holding another's result.
    WindowStore<Bytes, CommandResult> results = lms.driver.getWindowStore(StoreNames.COMMAND_RESULTS);
    results.put(StoreKeys.command("acme", "x"), applied, TopologyFixture.START.toEpochMilli());
    LeadStores stores = lms.processorStores();

    assertThat(stores.result("acme", "x")).isEmpty();
    assertThat(stores.result("acme", applied.getCommandId())).contains(applied);
  }
}
