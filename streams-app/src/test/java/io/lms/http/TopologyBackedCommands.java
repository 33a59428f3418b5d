package io.lms.http;

import io.lms.command.CommandSubmitter;
import io.lms.schema.CommandResult;
import io.lms.schema.LeadCommand;
import io.lms.schema.LeadState;
import io.lms.topology.LmsTopics;
import io.lms.topology.LmsTopology;
import io.lms.topology.StoreKeys;
import io.lms.topology.StoreNames;
import io.lms.topology.TopologySettings;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** Commands applied by the real topology in a TopologyTestDriver: the HTTP layer's write path without a broker. */
final class TopologyBackedCommands implements CommandSubmitter, AutoCloseable {
  final TopologyTestDriver driver;
  private final TestInputTopic<String, LeadCommand> commands;
  private final TestInputTopic<String, byte[]> rawCommands;
  private final TestOutputTopic<String, CommandResult> results;
  volatile boolean silent;
  int submitted;

  TopologyBackedCommands() throws Exception {
    LmsTopics topics = LmsTopics.defaults();
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "lms-http-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("lms-http").toString());
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    driver = new TopologyTestDriver(LmsTopology.build(topics, TopologySettings.defaults()), props, Instant.now());
    commands = driver.createInputTopic(topics.commands().name(), new StringSerializer(),
        topics.commands().valueSerde().serializer());
    rawCommands = driver.createInputTopic(topics.commands().name(), new StringSerializer(), new ByteArraySerializer());
    results = driver.createOutputTopic(topics.results().name(), topics.results().keySerde().deserializer(),
        topics.results().valueSerde().deserializer());
  }

  @Override
  public synchronized CompletableFuture<CommandResult> submit(LeadCommand command, Duration timeout) {
    submitted++;
    if (silent) {
      // As when the command is sent but no result arrives within the bound.
      return new CompletableFuture<CommandResult>().orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }
    commands.pipeInput(command.getOrgId(), command, command.getIssuedAt());
    List<CommandResult> found = results.readValuesToList();
    return CompletableFuture.completedFuture(found.get(found.size() - 1));
  }

  /** Sends a value as an upstream producer would, keyed by {@code org}; returns its results. */
  synchronized List<CommandResult> sendRaw(String org, byte[] value) {
    rawCommands.pipeInput(org, value);
    return results.readValuesToList();
  }

  synchronized LeadState storedLead(String org, long id) {
    return driver.<String, LeadState>getKeyValueStore(StoreNames.LEADS).get(StoreKeys.lead(org, id));
  }

  @Override
  public synchronized void close() {
    driver.close();
  }
}
