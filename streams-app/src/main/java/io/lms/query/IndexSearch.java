package io.lms.query;

import io.lms.query.LeadSearch.SortBy;
import io.lms.query.LeadSearch.SortOrder;
import io.lms.schema.LeadState;
import io.lms.schema.LeadStatus;
import io.lms.topology.EncodedSummary;
import io.lms.topology.StoreKeys;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Answers a {@link LeadSearch} of one org from the search index (its key families are described
 * in {@code io.lms.topology.SearchIndexes}): it walks the family whose order is the one asked for,
 * skips entries on their key (offset, status) or their summary (the other filters), stops at the
 * limit, and only then reads and decodes the leads it returns.
 */
final class IndexSearch {
  /** What a search without a status lists: every status but DELETED, merged. */
  static final List<LeadStatus> LISTED_WITHOUT_STATUS =
      Arrays.stream(LeadStatus.values()).filter(status -> status != LeadStatus.DELETED).toList();

  /**
   * A customer with up to this many matching leads is sorted by lastUpdatedOn in memory, which
   * decodes each of those leads; a customer with more (a shared walk-in account, say) is served by
   * the lastUpdatedOn index instead, where its leads are frequent enough to be found quickly.
   */
  static final int CUSTOMER_LEADS_SORTED_IN_MEMORY = 256;

  private static final Comparator<LeadState> BY_LAST_UPDATED =
      // Clamped like the index keys (StoreKeys#byUpdated), so both paths agree on the order.
      Comparator.<LeadState>comparingLong(lead -> Math.max(0L, lead.getLastUpdatedAtMillis()))
          .thenComparingLong(LeadState::getId);

  private final ReadOnlyKeyValueStore<String, EncodedSummary> index;
  private final ReadOnlyKeyValueStore<String, LeadState> leads;

  IndexSearch(ReadOnlyKeyValueStore<String, EncodedSummary> index, ReadOnlyKeyValueStore<String, LeadState> leads) {
    this.index = index;
    this.leads = leads;
  }

  List<LeadState> run(String org, LeadSearch search) {
    if (search.offset() == Long.MAX_VALUE) {
      return List.of(); // no lead id is greater
    }
    SummaryFilter filter = SummaryFilter.of(search);
    if (search.userId().isPresent()) {
      long userId = search.userId().get();
      if (userId < 0) {
        return List.of(); // customer ids are never negative
      }
      if (search.sortBy() == SortBy.CREATED_ON) {
        return load(org, customerLeadIds(org, userId, search, filter, search.limit()));
      }
      List<Long> ids = customerLeadIds(org, userId, search, filter, CUSTOMER_LEADS_SORTED_IN_MEMORY + 1);
      if (ids.size() <= CUSTOMER_LEADS_SORTED_IN_MEMORY) {
        Comparator<LeadState> order =
            search.sortOrder() == SortOrder.ASC ? BY_LAST_UPDATED : BY_LAST_UPDATED.reversed();
        return load(org, ids).stream().sorted(order).limit(search.limit()).toList();
      }
    }
    return load(org, statusIndexLeadIds(org, search, filter));
  }

  /** The customer's matching leads after the offset, in id order (descending for createdOn DESC). */
  private List<Long> customerLeadIds(String org, long userId, LeadSearch search, SummaryFilter filter, int max) {
    String prefix = StoreKeys.byCustomerPrefix(org, userId);
    boolean descending = search.sortBy() == SortBy.CREATED_ON && search.sortOrder() == SortOrder.DESC;
    List<Long> ids = new ArrayList<>();
    try (KeyValueIterator<String, EncodedSummary> range =
        range(StoreKeys.byCustomer(org, userId, search.offset() + 1), StoreKeys.endOf(prefix), descending)) {
      while (ids.size() < max && range.hasNext()) {
        KeyValue<String, EncodedSummary> entry = range.next();
        if (filter.matches(entry.value.decode())) {
          ids.add(StoreKeys.leadIdOf(entry.key));
        }
      }
    }
    return ids;
  }

  /** The first matching leads of the status indexes, in the order asked for. */
  private List<Long> statusIndexLeadIds(String org, LeadSearch search, SummaryFilter filter) {
    boolean descending = search.sortOrder() == SortOrder.DESC;
    boolean decode = filter.beyondStatus();
    List<Long> ids = new ArrayList<>(search.limit());
    try (OrderedMerge<EncodedSummary> walk = new OrderedMerge<>(descending)) {
      for (LeadStatus status : search.status().map(List::of).orElse(LISTED_WITHOUT_STATUS)) {
        if (search.sortBy() == SortBy.CREATED_ON) {
          // Ordered by id: the offset is where the range starts.
          String prefix = StoreKeys.byCreatedPrefix(org, status);
          walk.add(prefix, range(StoreKeys.byCreated(org, status, search.offset() + 1), StoreKeys.endOf(prefix),
              descending));
        } else {
          String prefix = StoreKeys.byUpdatedPrefix(org, status);
          walk.add(prefix, range(prefix, StoreKeys.endOf(prefix), descending));
        }
      }
      while (ids.size() < search.limit()) {
        KeyValue<String, EncodedSummary> entry = walk.next();
        if (entry == null) {
          break;
        }
        // In lastUpdatedOn order the leads up to the offset are spread over the walk: skipped on
        // their key, without decoding anything.
        long id = StoreKeys.leadIdOf(entry.key);
        if (id > search.offset() && (!decode || filter.matches(entry.value.decode()))) {
          ids.add(id);
        }
      }
    }
    return ids;
  }

  private KeyValueIterator<String, EncodedSummary> range(String from, String to, boolean descending) {
    return descending ? index.reverseRange(from, to) : index.range(from, to);
  }

  private List<LeadState> load(String org, List<Long> ids) {
    List<LeadState> found = new ArrayList<>(ids.size());
    for (long id : ids) {
      LeadState lead = leads.get(StoreKeys.lead(org, id));
      // A new lead's index entries are written just before the lead: a query in between skips it.
      if (lead != null) {
        found.add(lead);
      }
    }
    return List.copyOf(found);
  }
}
