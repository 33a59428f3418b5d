package io.lms.topology;

import io.lms.schema.IdType;
import io.lms.schema.LeadStatus;

/**
 * Keys of the state stores. Every key starts with {@code org/}, so one org's data is one
 * contiguous key range; numbers are zero-padded to 19 digits so that byte order is numeric order
 * (RocksDB and the in-memory stores both order keys by their serialized bytes).
 */
public final class StoreKeys {
  private static final String SEPARATOR = "/";

  private StoreKeys() {}

  public static String orgPrefix(String orgId) {
    return orgId + SEPARATOR;
  }

  public static String lead(String orgId, long leadId) {
    return orgId + SEPARATOR + padded(leadId);
  }

  public static String reason(String orgId, long reasonId) {
    return orgId + SEPARATOR + padded(reasonId);
  }

  public static String subStatus(String orgId, LeadStatus status, String subStatus) {
    return orgId + SEPARATOR + status.name() + SEPARATOR + subStatus;
  }

  public static String customer(String orgId, long userId) {
    return orgId + SEPARATOR + padded(userId);
  }

  public static String identifier(String orgId, IdType idType, String normalisedIdentifier) {
    return orgId + SEPARATOR + idType.name() + SEPARATOR + normalisedIdentifier;
  }

  public static String command(String orgId, String commandId) {
    return orgId + SEPARATOR + commandId;
  }

  /** An entry of the follow-up due index: the org, the due time, then the lead. */
  public static String due(String orgId, long dueAtMillis, long leadId) {
    return dueUpTo(orgId, dueAtMillis) + SEPARATOR + padded(leadId);
  }

  /** The due-index key that sorts after every entry of the org due strictly before {@code millis}. */
  public static String dueUpTo(String orgId, long millis) {
    return orgId + SEPARATOR + padded(Math.max(0L, millis));
  }

  /** The lead id at the end of a due-index key. */
  public static long leadIdOfDue(String dueKey) {
    return Long.parseLong(dueKey.substring(dueKey.lastIndexOf(SEPARATOR) + 1));
  }

  /** The key of a lead on the compacted lms.leads topic. */
  public static String leadTopicKey(String orgId, long leadId) {
    return orgId + ":" + leadId;
  }

  static String padded(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("ids are never negative: " + value);
    }
    String digits = Long.toString(value);
    return "0".repeat(19 - digits.length()) + digits;
  }
}
