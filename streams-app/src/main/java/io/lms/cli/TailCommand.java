package io.lms.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.lms.runtime.InvalidSettingException;
import io.lms.runtime.KafkaClientSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lms tail}: an LMS topic as JSON lines. */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Prints the records of an LMS topic as JSON lines.",
      "",
      "Each line is {\"topic\", \"partition\", \"offset\", \"timestamp\", \"key\", \"value\","
          + " \"headers\"}, the value decoded from Avro. Only committed records are read"
          + " (read_committed), from the beginning or --from a time, up to the end unless --follow."
          + " It joins no consumer group and commits nothing."
    })
final class TailCommand implements Callable<Integer> {
  private static final Duration POLL = Duration.ofMillis(200);
  private static final JsonFactory JSON = new JsonFactory();

  @ParentCommand LmsCli parent;
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ClusterOptions cluster;

  @Parameters(index = "0", arity = "0..1", paramLabel = "<topic>", defaultValue = "lead-events",
      description = "lead-events (default), lead-commands, command-results, leads, reasons, substatuses,"
          + " lead-commands-dlq; with or without the prefix")
  String topic;

  @Option(names = {"-f", "--follow"}, description = "Keep printing new records until interrupted")
  boolean follow;

  @Option(names = "--from", paramLabel = "<time>",
      description = "Start at the first record at or after this time, e.g. 2026-11-27T10:00:00Z or"
          + " 2026-11-27T15:30:00+05:30 (default: the beginning)")
  String from;

  @Option(names = "--max", paramLabel = "<n>", description = "Stop after this many records")
  Long max;

  @Override
  public Integer call() throws InterruptedException {
    LmsCli.quietLogs();
    Instant start = from == null ? null : instantOf(from);
    if (max != null && max < 1) {
      throw new InvalidSettingException("--max must be positive: " + max);
    }
    ClusterOptions.Cluster target = cluster.resolve(parent);
    var records = new TopicRecords(target.settings().topicPrefix(), target.topics());
    String name = records.topicNamed(topic).orElseThrow(() -> new InvalidSettingException(
        "\"" + topic + "\" is not an LMS topic: expected one of " + records.shortNames()));
    PrintWriter out = spec.commandLine().getOut();

    Map<String, Object> config = target.connection();
    config.putAll(Map.of(
        ConsumerConfig.CLIENT_ID_CONFIG, "lms-tail-" + ProcessHandle.current().pid(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ClusterOptions.API_TIMEOUT_MS));
    try (var consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = partitionsOf(consumer, name, target.bootstrapServers());
      consumer.assign(partitions);
      position(consumer, partitions, start);
      // read_committed: the end is the last stable offset, past which nothing is committed yet.
      Map<TopicPartition, Long> end = follow ? Map.of() : consumer.endOffsets(partitions);
      var interrupted = new CountDownLatch(1);
      Thread onSignal = new Thread(() -> {
        consumer.wakeup();
        awaitQuietly(interrupted);
      }, "lms-tail-stop");
      Runtime.getRuntime().addShutdownHook(onSignal);
      try {
        print(consumer, records, out, end);
      } catch (WakeupException e) {
        // Ctrl-C or SIGTERM while following: a normal end.
      } finally {
        out.flush();
        interrupted.countDown();
        removeHook(onSignal);
      }
    }
    return 0;
  }

  private void print(KafkaConsumer<byte[], byte[]> consumer, TopicRecords records, PrintWriter out,
      Map<TopicPartition, Long> end) {
    long printed = 0;
    while (follow || !reached(consumer, end)) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
        out.println(json(record, records));
        if (max != null && ++printed >= max) {
          return;
        }
      }
      out.flush();
      if (out.checkError()) {
        return; // the reader went away, e.g. `lms tail | head`
      }
    }
  }

  private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  private static List<TopicPartition> partitionsOf(KafkaConsumer<byte[], byte[]> consumer, String name,
      String bootstrap) {
    List<PartitionInfo> infos;
    try {
      infos = consumer.partitionsFor(name);
    } catch (TimeoutException e) {
      throw new ToolFailure("Kafka at " + bootstrap + " did not answer within " + ClusterOptions.API_TIMEOUT_MS / 1000
          + " s: " + KafkaClientSettings.WHEN_KAFKA_DOES_NOT_ANSWER);
    }
    if (infos == null || infos.isEmpty()) {
      throw new ToolFailure("No topic " + name + " on " + bootstrap + ": check --prefix and --bootstrap");
    }
    return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
  }

  private static void position(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
      Instant start) {
    if (start == null) {
      consumer.seekToBeginning(partitions);
      return;
    }
    var query = new HashMap<TopicPartition, Long>();
    partitions.forEach(p -> query.put(p, start.toEpochMilli()));
    for (Map.Entry<TopicPartition, OffsetAndTimestamp> found : consumer.offsetsForTimes(query).entrySet()) {
      if (found.getValue() == null) {
        consumer.seekToEnd(List.of(found.getKey())); // nothing at or after the time yet
      } else {
        consumer.seek(found.getKey(), found.getValue().offset());
      }
    }
  }

  static Instant instantOf(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidSettingException(
          "--from \"" + text + "\" is not an ISO-8601 time with an offset, e.g. 2026-11-27T10:00:00Z");
    }
  }

  /** One record as a JSON line; bytes that do not decode are shown as Base64 with the reason. */
  static String json(ConsumerRecord<byte[], byte[]> record, TopicRecords records) {
    var text = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(text)) {
      json.writeStartObject();
      json.writeStringField("topic", record.topic());
      json.writeNumberField("partition", record.partition());
      json.writeNumberField("offset", record.offset());
      json.writeStringField("timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
      json.writeStringField("key", record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8));
      IndexedRecord value = null;
      String undecodable = null;
      if (record.value() != null) {
        try {
          value = records.decode(record.topic(), record.value());
        } catch (RuntimeException e) {
          undecodable = e.getMessage();
        }
      }
      json.writeFieldName("value");
      if (value == null) {
        json.writeNull(); // a tombstone on a compacted topic, or bytes that are no LMS record
      } else {
        RecordJson.write(json, value);
      }
      if (undecodable != null) {
        json.writeStringField("undecodable", undecodable);
        json.writeStringField("valueBase64", Base64.getEncoder().encodeToString(record.value()));
      }
      if (record.headers().toArray().length > 0) {
        json.writeObjectFieldStart("headers");
        for (Header header : record.headers()) {
          json.writeStringField(header.key(),
              header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        json.writeEndObject();
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("writing JSON to a string failed", e);
    }
    return text.toString();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook is running
    }
  }
}
