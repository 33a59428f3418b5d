package io.lms.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class TransactionOutcomesTest {
  static final String THREAD = "lms-1-StreamThread-1";

  final TransactionOutcomes outcomes = new TransactionOutcomes();
  final MockProducer<byte[], byte[]> mock = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  final Producer<byte[], byte[]> producer = outcomes.watch(Map.of(
      ProducerConfig.CLIENT_ID_CONFIG, THREAD + "-producer",
      ProducerConfig.TRANSACTIONAL_ID_CONFIG, "lms-1-0"), mock);

  /** What a store on {@code thread} is told. */
  boolean mayCommitOn(String thread) throws Exception {
    CompletableFuture<Boolean> answer = new CompletableFuture<>();
    Thread asking = new Thread(() -> answer.complete(outcomes.mayCommitStores()), thread);
    asking.start();
    return answer.get();
  }

  @Test
  void storesCommitOnlyWhatACommittedTransactionCarried() throws Exception {
    producer.initTransactions();
    assertThat(mayCommitOn(THREAD)).as("no transaction begun: nothing staged belongs to one").isTrue();
    producer.beginTransaction();
    assertThat(mayCommitOn(THREAD)).as("open").isFalse();
    producer.commitTransaction();
    assertThat(mayCommitOn(THREAD)).as("committed").isTrue();
    assertThat(mayCommitOn("lms-1-StreamThread-2")).as("another thread's producer says nothing of this one").isTrue();
  }

  @Test
  void aFailedCommitOrAnAbortKeepsTheStoresAtTheirLastCommit() throws Exception {
    producer.initTransactions();
    producer.beginTransaction();
    mock.commitTransactionException = new ProducerFencedException("a newer instance");
    assertThatThrownBy(producer::commitTransaction).isInstanceOf(ProducerFencedException.class);
    assertThat(mayCommitOn(THREAD)).as("fenced").isFalse();

    mock.commitTransactionException = null;
    producer.abortTransaction();
    assertThat(mayCommitOn(THREAD)).as("aborted").isFalse();
    producer.beginTransaction();
    mock.sendOffsetsToTransactionException = new TimeoutException("the broker is out of reach");
    assertThatThrownBy(() -> producer.sendOffsetsToTransaction(Map.of(), new ConsumerGroupMetadata("lms")))
        .isInstanceOf(TimeoutException.class);
    assertThat(mayCommitOn(THREAD)).as("offsets not sent").isFalse();
    mock.sendOffsetsToTransactionException = null;
    producer.abortTransaction();

    producer.beginTransaction();
    producer.commitTransaction();
    assertThat(mayCommitOn(THREAD)).as("the next transaction committed").isTrue();
  }

  @Test
  void onlyAStreamThreadsTransactionalProducerIsWatched() throws Exception {
    MockProducer<byte[], byte[]> plain = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    assertThat(outcomes.watch(Map.of(ProducerConfig.CLIENT_ID_CONFIG, "lms-1-StreamThread-3-producer"), plain))
        .as("not transactional").isSameAs(plain);
    assertThat(outcomes.watch(Map.of(ProducerConfig.CLIENT_ID_CONFIG, "gateway",
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, "x"), plain)).as("not a stream thread's").isSameAs(plain);
  }
}
