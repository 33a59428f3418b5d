package io.lms.command;

import io.lms.schema.CommandResult;
import io.lms.schema.LeadCommand;
import io.lms.topology.LmsTopics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write path of the HTTP layer: sends a command to {@code lms.lead-commands} and completes when
 * its result appears on {@code lms.command-results} to a {@code read_committed} consumer, that is,
 * only once the transaction that applied the command has committed.
 *
 * <p>Every instance reads every partition of the results topic from its end, so a write may be
 * accepted by any instance whatever partition its org lives on.
 *
 * <p>A commandId is unique only within its org: clients make them up ({@code till-7:0001}, a file's
 * name and line), and two orgs may use the same one at the same moment. A waiting write is
 * therefore matched by its org and commandId together, never by the commandId alone.
 */
public final class CommandGateway implements CommandSubmitter, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CommandGateway.class);

  private final LmsTopics topics;
  private final KafkaProducer<String, LeadCommand> producer;
  private final KafkaConsumer<String, CommandResult> consumer;
  private final Map<PendingKey, CompletableFuture<CommandResult>> pending = new ConcurrentHashMap<>();
  private final Consumer<CommandResult> resultObserver;
  private final Thread poller;
  private final CountDownLatch listening = new CountDownLatch(1);
  private volatile boolean running = true;

  /**
   * @param connection how to reach the cluster: {@code bootstrap.servers} and the settings every
   *     client takes (security, ...); the producer and the consumer add their own to it
   */
  public CommandGateway(Map<String, Object> connection, LmsTopics topics, String clientId) {
    this(connection, topics, clientId, result -> { });
  }

  /**
   * A gateway that also hands every committed result it reads, of any instance's command, to
   * {@code resultObserver}, on its consumer's thread.
   */
  public CommandGateway(Map<String, Object> connection, LmsTopics topics, String clientId,
      Consumer<CommandResult> resultObserver) {
    this.topics = topics;
    this.resultObserver = resultObserver;
    this.producer = new KafkaProducer<>(with(connection, Map.of(
        ProducerConfig.CLIENT_ID_CONFIG, clientId + "-commands",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.LINGER_MS_CONFIG, 1)),
        topics.commands().keySerde().serializer(), topics.commands().valueSerde().serializer());
    this.consumer = new KafkaConsumer<>(with(connection, Map.of(
        ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-results",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        // A result is awaited by a caller: don't let the broker hold an empty fetch for 500 ms.
        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20,
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)),
        topics.results().keySerde().deserializer(), topics.results().valueSerde().deserializer());
    this.poller = new Thread(this::pollResults, clientId + "-results");
    poller.setDaemon(true);
    poller.start();
  }

  /** Waits until the results consumer is positioned, so that no result of a new command is missed. */
  public boolean awaitListening(Duration timeout) throws InterruptedException {
    return listening.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public boolean isListening() {
    return listening.getCount() == 0 && running;
  }

  /**
   * Sends the command; the future completes with its committed result, or with a
   * {@link TimeoutException} when none arrived in time (the command may still apply later: the
   * caller retries with the same commandId and gets the first outcome), or at once with a
   * {@link CommandInFlightException} while a command of the same org and commandId awaits its
   * result here.
   */
  @Override
  public CompletableFuture<CommandResult> submit(LeadCommand command, Duration timeout) {
    String commandId = command.getCommandId();
    PendingKey key = new PendingKey(command.getOrgId(), commandId);
    CompletableFuture<CommandResult> result = new CompletableFuture<>();
    if (pending.putIfAbsent(key, result) != null) {
      return CompletableFuture.failedFuture(new CommandInFlightException(commandId));
    }
    producer.send(new ProducerRecord<>(topics.commands().name(), null, command.getIssuedAt().toEpochMilli(),
        command.getOrgId(), command), (metadata, error) -> {
          if (error != null) {
            pending.remove(key, result);
            result.completeExceptionally(error);
          }
        });
    return result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((r, e) -> pending.remove(key, result));
  }

  /**
   * Waits until no write awaits its result (each ends with its result or its timeout), so that the
   * HTTP server can stop without cutting off callers: a write cut off mid-way gets no answer at all,
   * not even the 503 that tells it to retry with its commandId. False if some are still pending.
   */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!pending.isEmpty()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  private void pollResults() {
    try {
      List<TopicPartition> partitions = consumer.partitionsFor(topics.results().name(), Duration.ofSeconds(60))
          .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position); // resolve the end now, before any command is sent
      listening.countDown();
      while (running) {
        for (ConsumerRecord<String, CommandResult> record : consumer.poll(Duration.ofMillis(200))) {
          CommandResult result = record.value();
          if (result == null) {
            continue;
          }
          if (!result.getOrgId().equals(record.key())) {
            // Every result the topology writes is keyed by its org: one that is not came from
            // elsewhere, and its org field is not to be trusted to pick a caller.
            log.warn("Ignored a result on {} whose key is not its org", record.topic());
            continue;
          }
          resultObserver.accept(result);
          CompletableFuture<CommandResult> waiting = pending.get(new PendingKey(result.getOrgId(), result.getCommandId()));
          if (waiting != null) {
            waiting.complete(result);
          }
        }
      }
    } catch (WakeupException e) {
      if (running) {
        log.error("Command results consumer woken unexpectedly", e);
      }
    } catch (RuntimeException e) {
      log.error("Command results consumer failed: writes will time out until restart", e);
    } finally {
      running = false;
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private static Map<String, Object> with(Map<String, Object> connection, Map<String, Object> own) {
    var config = new HashMap<>(connection);
    config.putAll(own);
    return config;
  }

  /** A waiting write: commandIds are unique only within an org. */
  private record PendingKey(String orgId, String commandId) {}

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      poller.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(10));
    pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException("shutting down")));
  }
}
