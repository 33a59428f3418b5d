package io.lms.topology;

import io.lms.domain.CommandHandler;
import io.lms.domain.Times;
import io.lms.schema.LeadState;
import io.lms.schema.LeadSummary;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The secondary indexes of the leads, moved in step with every lead write. Each index gives a lead
 * at most one key, derived from its state; the value is the lead's {@link LeadSummary}, so a search
 * filters on type, sub-status, customer, owner and source without decoding a LeadState.
 *
 * <ul>
 *   <li>{@code org/updated/STATUS/lastUpdatedMillis/id} in {@link StoreNames#SEARCH_INDEX}: search by
 *       status sorted by lastUpdatedOn. Without a status filter, a search merges the statuses it lists.
 *   <li>{@code org/created/STATUS/id}: search sorted by creation (id), where {@code offset} is a seek.
 *   <li>{@code org/customer/userId/id}: search by customer, whose leads are few.
 *   <li>{@code org/dueMillis/id} in {@link StoreNames#FOLLOW_UP_DUE_INDEX}: OPEN and ON_HOLD leads with
 *       a follow-up scheduled, for the due list and auto-close.
 * </ul>
 *
 * <p>Writes per lead change, each also a changelog record: a new lead puts one entry per index
 * (three, four with a follow-up due); a change that only touches lastUpdatedOn (a follow-up, new
 * extended fields) moves the {@code updated} entry (a delete and a put) and, when nextFollowUp
 * moved, the due entry; a status or owner change also rewrites the other entries.
 */
final class SearchIndexes {
  private record Index(KeyValueStore<String, EncodedSummary> store, Function<LeadState, String> key) {}

  private final List<Index> indexes;

  SearchIndexes(KeyValueStore<String, EncodedSummary> search, KeyValueStore<String, EncodedSummary> due) {
    indexes = List.of(
        new Index(search, SearchIndexes::updatedKey),
        new Index(search, SearchIndexes::createdKey),
        new Index(search, SearchIndexes::customerKey),
        new Index(due, SearchIndexes::dueKey));
  }

  /** Moves the lead's entries from where {@code previous} (null for a new lead) had them. */
  void move(LeadState previous, LeadState next) {
    LeadSummary summary = EncodedSummary.summaryOf(next);
    boolean summaryChanged = previous == null || !summary.equals(EncodedSummary.summaryOf(previous));
    EncodedSummary value = null;
    for (Index index : indexes) {
      String oldKey = previous == null ? null : index.key().apply(previous);
      String newKey = index.key().apply(next);
      boolean moved = !Objects.equals(oldKey, newKey);
      if (oldKey != null && moved) {
        // put(null) deletes without the read of the old value that delete() makes.
        index.store().put(oldKey, null);
      }
      if (newKey != null && (moved || summaryChanged)) {
        if (value == null) {
          value = EncodedSummary.of(summary);
        }
        index.store().put(newKey, value);
      }
    }
  }

  private static String updatedKey(LeadState lead) {
    return StoreKeys.byUpdated(lead.getOrgId(), lead.getStatus(), lead.getLastUpdatedAtMillis(), lead.getId());
  }

  private static String createdKey(LeadState lead) {
    return StoreKeys.byCreated(lead.getOrgId(), lead.getStatus(), lead.getId());
  }

  private static String customerKey(LeadState lead) {
    return StoreKeys.byCustomer(lead.getOrgId(), lead.getUserId(), lead.getId());
  }

  /** Only active leads with a follow-up scheduled are due. */
  private static String dueKey(LeadState lead) {
    if (lead.getNextFollowUp() == null || !CommandHandler.isActive(lead.getStatus())) {
      return null;
    }
    return StoreKeys.due(lead.getOrgId(), StoreKeys.epochMillis(Times.instantOf(lead.getNextFollowUp())), lead.getId());
  }
}
