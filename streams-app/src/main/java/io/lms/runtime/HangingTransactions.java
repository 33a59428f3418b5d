package io.lms.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeProducersResult.PartitionProducerState;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and aborts hanging transactions, as {@code kafka-transactions.sh find-hanging} and {@code
 * abort} do. A transaction hangs when a partition holds it open but its coordinator does not know
 * it there: the coordinator then never writes its marker, and the partition's last stable offset
 * stays behind it for good, so every {@code read_committed} reader of the partition (Kafka Streams
 * restoring a changelog, the HTTP layer awaiting results) stalls. A broker killed while it wrote
 * a transaction's records and its coordinator's log can be left so; a single combined
 * broker and controller is the case of the embedded default.
 *
 * <p>{@link #abortAll} is for a cluster where no LMS producer runs yet: a transaction that has just
 * begun may not have reached its coordinator's partition list, and looks hanging for a moment.
 * While the service runs, {@link HangingTransactionWatch} aborts only what stays hanging.
 */
final class HangingTransactions {
  private static final Logger log = LoggerFactory.getLogger(HangingTransactions.class);

  /** An open transaction on a partition, as the partition leader tells it. */
  record OpenTransaction(TopicPartition partition, ProducerState producer) {}

  private HangingTransactions() {}

  /**
   * Aborts every hanging transaction on the topics {@code ours} accepts, and logs each.
   *
   * @return how many were aborted
   */
  static int abortAll(Admin admin, Predicate<String> ours, Duration timeout) throws InterruptedException {
    try {
      List<OpenTransaction> hanging = find(admin, ours, timeout);
      abort(admin, hanging, timeout);
      return hanging.size();
    } catch (ExecutionException | TimeoutException e) {
      // Not fatal: a transaction that really hangs shows as a stall, which the operator can clear
      // with kafka-transactions.sh; one that does not is aborted by its coordinator.
      log.warn("Could not look for hanging transactions: {}", e.toString());
      return 0;
    }
  }

  /** The transactions on the topics {@code ours} accepts that look hanging now. */
  static List<OpenTransaction> find(Admin admin, Predicate<String> ours, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<String> topics = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS).stream()
        .filter(ours)
        .toList();
    if (topics.isEmpty()) {
      return List.of();
    }
    List<TopicPartition> partitions = new ArrayList<>();
    for (TopicDescription topic :
        admin.describeTopics(topics).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS).values()) {
      topic.partitions().forEach(p -> partitions.add(new TopicPartition(topic.name(), p.partition())));
    }
    List<OpenTransaction> open = openTransactions(
        admin.describeProducers(partitions).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    if (open.isEmpty()) {
      return List.of();
    }
    Set<Long> producerIds = open.stream().map(t -> t.producer().producerId()).collect(Collectors.toSet());
    Collection<TransactionListing> listings = admin
        .listTransactions(new ListTransactionsOptions().filterProducerIds(producerIds))
        .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    Map<String, TransactionDescription> described = listings.isEmpty()
        ? Map.of()
        : admin.describeTransactions(listings.stream().map(TransactionListing::transactionalId).toList())
            .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    Map<Long, TransactionDescription> byProducer = new HashMap<>();
    described.values().forEach(d -> byProducer.put(d.producerId(), d));
    return hanging(open, byProducer);
  }

  /** Writes an abort marker for each of {@code hanging} on its partition, and logs each. */
  static void abort(Admin admin, List<OpenTransaction> hanging, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    for (OpenTransaction transaction : hanging) {
      ProducerState producer = transaction.producer();
      admin.abortTransaction(new AbortTransactionSpec(transaction.partition(), producer.producerId(),
              (short) producer.producerEpoch(), producer.coordinatorEpoch().orElse(0)))
          .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      log.warn("Aborted a hanging transaction on {}: producer {} epoch {}, open since offset {}; its coordinator did "
              + "not know it, so no reader of the partition could have gone past it",
          transaction.partition(), producer.producerId(), producer.producerEpoch(),
          producer.currentTransactionStartOffset().orElse(-1));
    }
  }

  /** Every transaction a partition holds open. */
  static List<OpenTransaction> openTransactions(Map<TopicPartition, PartitionProducerState> states) {
    List<OpenTransaction> open = new ArrayList<>();
    states.forEach((partition, state) -> state.activeProducers().stream()
        .filter(producer -> producer.currentTransactionStartOffset().isPresent())
        .forEach(producer -> open.add(new OpenTransaction(partition, producer))));
    return open;
  }

  /**
   * The open transactions whose coordinator does not hold them open on their partition: no
   * transactional id has their producer id, or its transaction is not ongoing, has moved to
   * another epoch, or does not list the partition.
   */
  static List<OpenTransaction> hanging(List<OpenTransaction> open, Map<Long, TransactionDescription> byProducerId) {
    return open.stream().filter(transaction -> {
      TransactionDescription coordinator = byProducerId.get(transaction.producer().producerId());
      return coordinator == null
          || !isOpen(coordinator.state())
          || coordinator.producerEpoch() != transaction.producer().producerEpoch()
          || !coordinator.topicPartitions().contains(transaction.partition());
    }).toList();
  }

  private static boolean isOpen(TransactionState state) {
    return state == TransactionState.ONGOING
        || state == TransactionState.PREPARE_COMMIT
        || state == TransactionState.PREPARE_ABORT
        || state == TransactionState.PREPARE_EPOCH_FENCE;
  }
}
