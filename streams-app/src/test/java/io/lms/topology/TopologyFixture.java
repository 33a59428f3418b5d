package io.lms.topology;

import io.lms.runtime.LmsConfig;
import io.lms.schema.CommandResult;
import io.lms.schema.LeadCommand;
import io.lms.schema.LeadEvent;
import io.lms.schema.LeadState;
import io.lms.schema.LeadSummary;
import io.lms.schema.Reason;
import io.lms.schema.SubStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** The LMS topology in a {@link TopologyTestDriver}, with its topics at hand (public for the query-side tests). */
public final class TopologyFixture implements AutoCloseable {
  public static final Instant START = Instant.parse("2026-11-27T10:00:00Z");

  final LmsTopics topics;
  final TopologySettings settings;
  public final TopologyTestDriver driver;
  final TestInputTopic<String, LeadCommand> commands;
  final TestInputTopic<String, byte[]> rawCommands;
  final TestOutputTopic<String, LeadEvent> events;
  final TestOutputTopic<String, LeadState> leads;
  final TestOutputTopic<String, CommandResult> results;
  final TestOutputTopic<String, Reason> reasons;
  final TestOutputTopic<String, SubStatus> subStatuses;

  public TopologyFixture(TopologySettings settings) {
    this(settings, new Properties());
  }

  /** With these Kafka Streams settings over the fixture's own, e.g. another exception handler. */
  public TopologyFixture(TopologySettings settings, Properties overrides) {
    this(LmsTopics.defaults(), settings, overrides);
  }

  /** On these topics (another prefix, another encoding), with these Kafka Streams settings over the fixture's own. */
  TopologyFixture(LmsTopics topics, TopologySettings settings, Properties overrides) {
    this.topics = topics;
    this.settings = settings;
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "lms-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics.deadLetter());
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
    props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    // As LmsConfig sets it: undecodable commands reach the dead-letter topic through it.
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LmsProcessingExceptionHandler.class);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir());
    props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, LmsRocksDbConfig.class);
    props.putAll(overrides);
    driver = new TopologyTestDriver(LmsTopology.build(topics, settings), props, START);
    commands = driver.createInputTopic(topics.commands().name(), new StringSerializer(),
        topics.commands().valueSerde().serializer());
    rawCommands = driver.createInputTopic(topics.commands().name(), new StringSerializer(), new ByteArraySerializer());
    events = output(topics.events());
    leads = output(topics.leads());
    results = output(topics.results());
    reasons = output(topics.reasons());
    subStatuses = output(topics.subStatuses());
  }

  private static String stateDir() {
    try {
      java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("lms-ttd");
      dir.toFile().deleteOnExit();
      return dir.toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public TopologyFixture() {
    this(TopologySettings.defaults());
  }

  /**
   * The topology with the Kafka Streams properties the service runs with ({@code LmsConfig}'s own:
   * exactly-once, the dead-letter topic and its handlers), on a state directory of its own.
   */
  public static TopologyFixture onProductionConfig() {
    LmsConfig config = LmsConfig.parse(Map.of(), Map.of("LMS_STATE_DIR", stateDir()));
    return new TopologyFixture(config.toTopologySettings(1), config.streamsProperties("unused:9092"));
  }

  /** Sends bytes as a command value, keyed {@code key}, and returns the results that came of it. */
  public List<CommandResult> sendRaw(String key, byte[] value, Instant recordTime) {
    rawCommands.pipeInput(key, value, recordTime);
    return results.readValuesToList();
  }

  private <V> TestOutputTopic<String, V> output(TopicSpec<String, V> topic) {
    return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
  }

  /** Sends the command keyed by its org and returns its result. */
  public CommandResult send(LeadCommand command) {
    commands.pipeInput(command.getOrgId(), command, command.getIssuedAt());
    List<CommandResult> found = results.readValuesToList();
    if (found.size() != 1) {
      throw new AssertionError("expected one result, got " + found);
    }
    return found.get(0);
  }

  public List<LeadEvent> drainEvents() {
    return events.readValuesToList();
  }

  List<String> drainEventTypes() {
    return drainEvents().stream().map(e -> e.getPayload().getClass().getSimpleName()).collect(Collectors.toList());
  }

  /** The entries of an index store, decoded, without the marker of its build (see SearchIndexes). */
  public Map<String, LeadSummary> indexEntries(String storeName) {
    KeyValueStore<String, EncodedSummary> store = driver.getKeyValueStore(storeName);
    Map<String, LeadSummary> entries = new TreeMap<>();
    try (KeyValueIterator<String, EncodedSummary> all = store.all()) {
      all.forEachRemaining(entry -> {
        if (!entry.key.startsWith(SearchIndexes.MARK_KEY)) {
          entries.put(entry.key, entry.value.decode());
        }
      });
    }
    return entries;
  }

  /** The stores, as the command processor sees them in {@code init}. */
  LeadStores processorStores() {
    var context = new MockProcessorContext<Object, Object>();
    // Every store of the topology, so that a store added to LmsTopology needs no second list here.
    driver.getAllStateStores().values().forEach(context::addStateStore);
    return new LeadStores(context, settings.idempotencyRetention());
  }

  public KeyValueStore<String, LeadState> leadStore() {
    return driver.getKeyValueStore(StoreNames.LEADS);
  }

  public LeadState storedLead(String org, long id) {
    return leadStore().get(StoreKeys.lead(org, id));
  }

  @Override
  public void close() {
    driver.close();
  }
}
