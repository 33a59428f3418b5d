package io.lms.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.runtime.SharedKafka;
import io.lms.runtime.TopicProvisioner;
import io.lms.schema.Accepted;
import io.lms.schema.CommandResult;
import io.lms.schema.ConfigureReasons;
import io.lms.schema.LeadCommand;
import io.lms.schema.Reason;
import io.lms.topology.LmsTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The write path's gateway on the real broker, with no topology behind it: the test writes the
 * results itself, so it decides which org's result arrives when.
 */
class CommandGatewayIT {
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  static LmsTopics topics;
  static CommandGateway gateway;
  static KafkaProducer<String, CommandResult> results;

  @BeforeAll
  static void start() throws Exception {
    topics = LmsTopics.withPrefix("it.gateway-" + NAMESPACES.incrementAndGet() + ".");
    String bootstrap = SharedKafka.bootstrapServers();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      new TopicProvisioner(admin, 2, (short) 1, Duration.ofSeconds(30)).provision(topics);
    }
    gateway = new CommandGateway(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), topics, "gateway-it");
    assertThat(gateway.awaitListening(Duration.ofSeconds(30))).isTrue();
    results = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
        topics.results().keySerde().serializer(), topics.results().valueSerde().serializer());
  }

  @AfterAll
  static void stop() {
    results.close();
    gateway.close();
  }

  private static LeadCommand command(String org, String commandId) {
    return new LeadCommand(commandId, org, 1L, Instant.now(), new ConfigureReasons(List.of("r")));
  }

  private static void publish(String key, String org, String commandId, String reason) throws Exception {
    var accepted = new Accepted(null, List.of(new Reason(org, 1L, reason)), null);
    results.send(new ProducerRecord<>(topics.results().name(), key,
        new CommandResult(commandId, org, Instant.now(), accepted, null))).get();
  }

  private static String reasonOf(CompletableFuture<CommandResult> outcome) throws Exception {
    return ((Accepted) outcome.get(10, TimeUnit.SECONDS).getOutcome()).getReasons().get(0).getReason();
  }

  @Test
  void aResultCompletesOnlyTheWriteOfItsOwnOrg() throws Exception {
    CompletableFuture<CommandResult> acme = gateway.submit(command("acme", "till-7:0001"), Duration.ofSeconds(20));
    CompletableFuture<CommandResult> globex = gateway.submit(command("globex", "till-7:0001"), Duration.ofSeconds(20));

    publish("globex", "globex", "till-7:0001", "globex's");
    assertThat(reasonOf(globex)).isEqualTo("globex's");
    // A result whose key is not its org is not trusted to pick a caller.
    publish("globex", "acme", "till-7:0001", "mislabelled");
    Thread.sleep(500);
    assertThat(acme).isNotDone();

    publish("acme", "acme", "till-7:0001", "acme's");
    assertThat(reasonOf(acme)).isEqualTo("acme's");
  }

  @Test
  void aSecondWriteWithTheKeyOfOneInFlightIsRefusedAtOnceAndAnotherOrgsIsNot() throws Exception {
    CompletableFuture<CommandResult> first = gateway.submit(command("acme", "k-409"), Duration.ofSeconds(20));

    CompletableFuture<CommandResult> again = gateway.submit(command("acme", "k-409"), Duration.ofSeconds(20));
    CompletableFuture<CommandResult> otherOrg = gateway.submit(command("globex", "k-409"), Duration.ofSeconds(20));

    assertThat(again).isCompletedExceptionally();
    try {
      again.get();
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(CommandInFlightException.class);
    }
    assertThat(otherOrg).isNotDone();
    publish("acme", "acme", "k-409", "first");
    assertThat(reasonOf(first)).isEqualTo("first");
    // Once answered, the key may be sent again (and the topology answers it with the first outcome).
    CompletableFuture<CommandResult> later = gateway.submit(command("acme", "k-409"), Duration.ofMillis(300));
    assertThat(later).isNotDone();
    try {
      later.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(TimeoutException.class);
    }
    publish("globex", "globex", "k-409", "globex");
    assertThat(reasonOf(otherOrg)).isEqualTo("globex");
  }
}
