package io.lms.topology;

/** The names of the topology's state stores; each one's changelog is {@code <application.id>-<name>-changelog}. */
public final class StoreNames {
  public static final String LEADS = "leads-store";
  public static final String REASONS = "reasons-store";
  public static final String SUB_STATUSES = "substatuses-store";
  public static final String CUSTOMER_IDENTIFIERS = "customer-identifiers-store";
  public static final String ORG_SEQUENCES = "org-sequences-store";
  public static final String COMMAND_RESULTS = "command-results-store";
  public static final String FOLLOW_UP_DUE_INDEX = "follow-up-due-index";
  /** The lead search indexes: by status and lastUpdatedOn, by status and id, by customer (see {@link SearchIndexes}). */
  public static final String SEARCH_INDEX = "lead-search-index";
  /**
   * Which build of the indexes matches the leads: the indexes have no changelog (they derive from
   * the leads), this small store has one (see {@link LeadStores#ensureIndexes}).
   */
  public static final String INDEX_GENERATIONS = "index-generations";

  private StoreNames() {}
}
