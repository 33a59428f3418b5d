package io.lms.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.runtime.HangingTransactions.OpenTransaction;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** A transaction is aborted only once it has stayed hanging, the same one, for long enough. */
class HangingTransactionWatchTest {
  private static final TopicPartition LEADS_0 = new TopicPartition("lms.leads", 0);
  private static final long AFTER = HangingTransactionWatch.HANGING_AFTER.toMillis();

  private final AtomicLong clock = new AtomicLong(1_000_000);
  private List<OpenTransaction> hangingNow = List.of();
  private final List<OpenTransaction> aborted = new ArrayList<>();
  private final HangingTransactionWatch watch = new HangingTransactionWatch(new HangingTransactionWatch.Transactions() {
    @Override
    public List<OpenTransaction> hanging() {
      return hangingNow;
    }

    @Override
    public void abort(List<OpenTransaction> transactions) {
      aborted.addAll(transactions);
    }
  }, clock::get);

  @Test
  void aTransactionHangingInChecksLongEnoughApartIsAborted() throws Exception {
    hangingNow = List.of(open(7, 1, 120, 5));
    assertThat(watch.check()).as("first found").isEmpty();
    clock.addAndGet(AFTER - 1);
    assertThat(watch.check()).as("not long enough").isEmpty();
    clock.addAndGet(1);
    // Its last write may differ between checks: still the same transaction.
    hangingNow = List.of(open(7, 1, 120, 9));
    assertThat(watch.check()).containsExactly(open(7, 1, 120, 9));
    assertThat(aborted).containsExactly(open(7, 1, 120, 9));
  }

  @Test
  void aTransactionThatStopsLookingHangingStartsOverWhenItIsFoundAgain() throws Exception {
    hangingNow = List.of(open(7, 1, 120, 5));
    watch.check();
    clock.addAndGet(AFTER / 2);
    hangingNow = List.of();
    watch.check();
    clock.addAndGet(AFTER / 2);
    hangingNow = List.of(open(7, 1, 120, 5));
    assertThat(watch.check()).isEmpty();
    clock.addAndGet(AFTER);
    assertThat(watch.check()).hasSize(1);
  }

  @Test
  void anotherEpochOrStartOffsetIsAnotherTransaction() throws Exception {
    hangingNow = List.of(open(7, 1, 120, 5));
    watch.check();
    clock.addAndGet(AFTER);
    hangingNow = List.of(open(7, 2, 120, 5), open(7, 1, 200, 5));
    assertThat(watch.check()).isEmpty();
    assertThat(aborted).isEmpty();
  }

  private static OpenTransaction open(long producerId, int epoch, long startOffset, int lastSequence) {
    return new OpenTransaction(LEADS_0,
        new ProducerState(producerId, epoch, lastSequence, 0L, OptionalInt.of(0), OptionalLong.of(startOffset)));
  }
}
