package io.lms.topology;

import io.lms.domain.StateView;
import io.lms.schema.CommandResult;
import io.lms.schema.Customer;
import io.lms.schema.IdType;
import io.lms.schema.LeadState;
import io.lms.schema.LeadStatus;
import io.lms.schema.OrgSequences;
import io.lms.schema.Reason;
import io.lms.schema.SubStatus;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The command processor's state stores, read through {@link StateView} and written by
 * {@link #put(LeadState, LeadState)} and friends, which keep the indexes in step with the leads.
 */
final class LeadStores implements StateView {
  private final KeyValueStore<String, LeadState> leads;
  private final KeyValueStore<String, Reason> reasons;
  private final KeyValueStore<String, SubStatus> subStatuses;
  private final KeyValueStore<String, Customer> customers;
  private final KeyValueStore<String, Long> identifiers;
  private final KeyValueStore<String, OrgSequences> sequences;
  private final WindowStore<String, CommandResult> results;
  private final KeyValueStore<String, EncodedSummary> dueIndex;
  private final SearchIndexes indexes;

  LeadStores(ProcessorContext<?, ?> context) {
    leads = context.getStateStore(StoreNames.LEADS);
    reasons = context.getStateStore(StoreNames.REASONS);
    subStatuses = context.getStateStore(StoreNames.SUB_STATUSES);
    customers = context.getStateStore(StoreNames.CUSTOMERS);
    identifiers = context.getStateStore(StoreNames.CUSTOMER_IDENTIFIERS);
    sequences = context.getStateStore(StoreNames.ORG_SEQUENCES);
    results = context.getStateStore(StoreNames.COMMAND_RESULTS);
    dueIndex = context.getStateStore(StoreNames.FOLLOW_UP_DUE_INDEX);
    indexes = new SearchIndexes(context.getStateStore(StoreNames.SEARCH_INDEX), dueIndex);
  }

  // The lead a decision last read: its previous state when the decision writes it back, which
  // saves a second store read per command.
  private String lastReadKey;
  private LeadState lastRead;

  @Override
  public Optional<LeadState> lead(String orgId, long leadId) {
    // Ids come from commands as they were sent: a negative one names nothing and has no store key.
    if (leadId < 0) {
      return Optional.empty();
    }
    String key = StoreKeys.lead(orgId, leadId);
    if (!key.equals(lastReadKey)) {
      lastReadKey = key;
      lastRead = leads.get(key);
    }
    return Optional.ofNullable(lastRead);
  }

  @Override
  public Optional<Reason> reason(String orgId, long reasonId) {
    if (reasonId < 0) {
      return Optional.empty();
    }
    return Optional.ofNullable(reasons.get(StoreKeys.reason(orgId, reasonId)));
  }

  @Override
  public boolean subStatusExists(String orgId, LeadStatus status, String subStatus) {
    return subStatuses.get(StoreKeys.subStatus(orgId, status, subStatus)) != null;
  }

  @Override
  public Optional<Customer> customer(String orgId, long userId) {
    if (userId < 0) {
      return Optional.empty();
    }
    return Optional.ofNullable(customers.get(StoreKeys.customer(orgId, userId)));
  }

  @Override
  public Optional<Long> userIdByIdentifier(String orgId, IdType idType, String normalisedIdentifier) {
    return Optional.ofNullable(identifiers.get(StoreKeys.identifier(orgId, idType, normalisedIdentifier)));
  }

  @Override
  public OrgSequences sequences(String orgId) {
    OrgSequences stored = sequences.get(orgId);
    return stored != null ? stored : OrgSequences.newBuilder().setOrgId(orgId).build();
  }

  /** The first result of a command, while it is remembered. */
  Optional<CommandResult> result(String orgId, String commandId) {
    try (WindowStoreIterator<CommandResult> found =
        results.fetch(StoreKeys.command(orgId, commandId), 0L, Long.MAX_VALUE)) {
      return found.hasNext() ? Optional.of(found.next().value) : Optional.empty();
    }
  }

  void putResult(CommandResult result, long timestamp) {
    results.put(StoreKeys.command(result.getOrgId(), result.getCommandId()), result, timestamp);
  }

  void put(OrgSequences orgSequences) {
    sequences.put(orgSequences.getOrgId(), orgSequences);
  }

  void put(Reason reason) {
    reasons.put(StoreKeys.reason(reason.getOrgId(), reason.getId()), reason);
  }

  void put(SubStatus subStatus) {
    subStatuses.put(StoreKeys.subStatus(subStatus.getOrgId(), subStatus.getStatus(), subStatus.getSubStatus()), subStatus);
  }

  void put(Customer customer) {
    customers.put(StoreKeys.customer(customer.getOrgId(), customer.getUserId()), customer);
    if (customer.getIdType() != null && customer.getIdentifier() != null) {
      identifiers.put(
          StoreKeys.identifier(customer.getOrgId(), customer.getIdType(), customer.getIdentifier()),
          customer.getUserId());
    }
  }

  /** Writes a lead, and moves its index entries from where its previous state had them. */
  void put(LeadState lead) {
    LeadState previous = lead(lead.getOrgId(), lead.getId()).orElse(null);
    indexes.move(previous, lead);
    String key = StoreKeys.lead(lead.getOrgId(), lead.getId());
    leads.put(key, lead);
    lastReadKey = key;
    lastRead = lead;
  }

  KeyValueStore<String, EncodedSummary> dueIndex() {
    return dueIndex;
  }

  KeyValueStore<String, OrgSequences> orgs() {
    return sequences;
  }
}
