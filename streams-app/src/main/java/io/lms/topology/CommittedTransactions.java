package io.lms.topology;

/**
 * Whether the Kafka transaction that carried a store's staged writes committed: a store of LMS
 * writes what it staged only then ({@link WriteAheadLoggedStores}, {@link CommitGatedWindowStore}).
 *
 * <p>Kafka Streams commits a task's stores after it committed the stream thread's transaction,
 * and, at a clean stop, after it tried to: Kafka Streams 4.4 commits the stores of every task it
 * closes even when the commit of the transaction has just failed (a producer fenced by a newer
 * instance, a broker out of reach; {@code TaskManager#tryCloseCleanActiveTasks}). A store would
 * then keep the writes of a transaction that aborted, with the changelog offset after them: the
 * results store would take the commands of that transaction for commands already applied, and
 * their events and leads would never be sent. A store asked to commit when this says no keeps its
 * last commit, and drops what it staged when it closes; a restore from its changelog brings back
 * whatever of it did commit.
 */
@FunctionalInterface
public interface CommittedTransactions {
  /** No transactions tracked: stores always commit (a {@code TopologyTestDriver}, which commits after every record). */
  CommittedTransactions UNTRACKED = () -> true;

  /**
   * Asked on the thread that commits the store: true unless that thread's producer has a
   * transaction open, or its last one failed to commit. Threads without a producer (the one that
   * restores stores) commit only what they restored from committed changelogs: true.
   */
  boolean mayCommitStores();
}
