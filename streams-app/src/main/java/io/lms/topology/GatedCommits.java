package io.lms.topology;

import org.apache.kafka.streams.processor.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one check every store of LMS makes before it commits ({@link CommittedTransactions}). */
final class GatedCommits {
  private static final Logger log = LoggerFactory.getLogger(GatedCommits.class);

  private GatedCommits() {}

  /** Whether {@code store} may write what it staged now; if not, it keeps its last commit. */
  static boolean mayCommit(CommittedTransactions transactions, StateStore store) {
    if (transactions.mayCommitStores()) {
      return true;
    }
    log.debug("Store {} kept at its last commit: the transaction of its latest writes has not committed", store.name());
    return false;
  }
}
