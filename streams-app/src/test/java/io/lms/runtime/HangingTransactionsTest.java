package io.lms.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.runtime.HangingTransactions.OpenTransaction;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.admin.DescribeProducersResult.PartitionProducerState;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Which open transactions count as hanging: the rules of {@code kafka-transactions.sh find-hanging}. */
class HangingTransactionsTest {
  private static final TopicPartition RESULTS_0 = new TopicPartition("lms.command-results", 0);
  private static final TopicPartition LEADS_0 = new TopicPartition("lms.leads", 0);

  @Test
  void onlyProducersWithATransactionStartOffsetHoldOneOpen() {
    ProducerState committed = producer(7, 3, OptionalLong.empty());
    ProducerState open = producer(8, 1, OptionalLong.of(120));
    List<OpenTransaction> found = HangingTransactions.openTransactions(
        Map.of(RESULTS_0, new PartitionProducerState(List.of(committed, open))));
    assertThat(found).containsExactly(new OpenTransaction(RESULTS_0, open));
  }

  @Test
  void aTransactionItsCoordinatorHoldsOpenOnThePartitionIsNotHanging() {
    OpenTransaction open = new OpenTransaction(RESULTS_0, producer(8, 1, OptionalLong.of(120)));
    for (TransactionState state : List.of(TransactionState.ONGOING, TransactionState.PREPARE_COMMIT,
        TransactionState.PREPARE_ABORT, TransactionState.PREPARE_EPOCH_FENCE)) {
      assertThat(HangingTransactions.hanging(List.of(open), Map.of(8L, coordinator(8, 1, state, RESULTS_0))))
          .as("%s", state).isEmpty();
    }
  }

  @Test
  void aTransactionItsCoordinatorDoesNotHoldOpenThereIsHanging() {
    OpenTransaction open = new OpenTransaction(RESULTS_0, producer(8, 1, OptionalLong.of(120)));
    assertThat(HangingTransactions.hanging(List.of(open), Map.of())).as("no transactional id").containsExactly(open);
    assertThat(HangingTransactions.hanging(List.of(open),
        Map.of(8L, coordinator(8, 1, TransactionState.COMPLETE_COMMIT, RESULTS_0)))).as("completed").containsExactly(open);
    assertThat(HangingTransactions.hanging(List.of(open),
        Map.of(8L, coordinator(8, 2, TransactionState.ONGOING, RESULTS_0)))).as("a later epoch").containsExactly(open);
    assertThat(HangingTransactions.hanging(List.of(open),
        Map.of(8L, coordinator(8, 1, TransactionState.ONGOING, LEADS_0)))).as("another partition").containsExactly(open);
  }

  private static ProducerState producer(long id, int epoch, OptionalLong transactionStart) {
    return new ProducerState(id, epoch, 5, 0L, OptionalInt.of(0), transactionStart);
  }

  private static TransactionDescription coordinator(long producerId, int epoch, TransactionState state,
      TopicPartition partition) {
    return new TransactionDescription(1, state, producerId, epoch, 10_000, OptionalLong.of(0), Set.of(partition));
  }
}
