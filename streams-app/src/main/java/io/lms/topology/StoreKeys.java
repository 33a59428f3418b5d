package io.lms.topology;

import io.lms.schema.IdType;
import io.lms.schema.LeadStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the state stores. Every key starts with {@code org/}, so one org's data is one
 * contiguous key range; numbers are zero-padded to 19 digits so that byte order is numeric order
 * (RocksDB and the in-memory stores both order keys by their serialized bytes). The one
 * exception is the key of a remembered command, a fixed-length hash (see {@link #command}).
 */
public final class StoreKeys {
  /** The length of a {@link #command} key. */
  public static final int COMMAND_KEY_LENGTH = 16;

  private static final String SEPARATOR = "/";
  private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(StoreKeys::sha256);
  private static final Instant LATEST_MILLIS = Instant.ofEpochMilli(Long.MAX_VALUE);
  private static final Instant EARLIEST_MILLIS = Instant.ofEpochMilli(Long.MIN_VALUE);

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

  public static String identifier(String orgId, IdType idType, String normalisedIdentifier) {
    return orgId + SEPARATOR + idType.name() + SEPARATOR + normalisedIdentifier;
  }

  /**
   * The key of a command's remembered result: the first 128 bits of the SHA-256 of
   * {@code org/commandId}. Fixed-length, so that the results store can keep a Bloom filter of its
   * keys (LmsRocksDbConfig): most commands are new, and a lookup of an absent key then skips
   * nearly every file instead of seeking in each. A hash may collide, so the result found is
   * checked against the command (RememberedResults#first).
   */
  public static Bytes command(String orgId, String commandId) {
    MessageDigest digest = SHA_256.get();
    digest.update(orgId.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) '/');
    byte[] hash = digest.digest(commandId.getBytes(StandardCharsets.UTF_8));
    return Bytes.wrap(Arrays.copyOf(hash, COMMAND_KEY_LENGTH));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java platform has SHA-256", e);
    }
  }

  /** An entry of the follow-up due index: the org, the due time, then the lead. */
  public static String due(String orgId, long dueAtMillis, long leadId) {
    return dueUpTo(orgId, dueAtMillis) + SEPARATOR + padded(leadId);
  }

  /** The due-index key that sorts after every entry of the org due strictly before {@code millis}. */
  public static String dueUpTo(String orgId, long millis) {
    return orgId + SEPARATOR + padded(Math.max(0L, millis));
  }

  /**
   * The instant in epoch milliseconds, saturated: a caller may schedule a follow-up in the year
   * 999999999, which {@link Instant#toEpochMilli()} cannot express, and no key may fail to build.
   */
  public static long epochMillis(Instant instant) {
    if (instant.isAfter(LATEST_MILLIS)) {
      return Long.MAX_VALUE;
    }
    return instant.isBefore(EARLIEST_MILLIS) ? Long.MIN_VALUE : instant.toEpochMilli();
  }

  /** The lead id at the end of a due-index key. */
  public static long leadIdOfDue(String dueKey) {
    return Long.parseLong(dueKey.substring(dueKey.lastIndexOf(SEPARATOR) + 1));
  }

  /**
   * An entry of the search index ordering one status of the org by lastUpdatedOn, then by id. A
   * time before the epoch sorts as the epoch: such a time cannot come from a real command, and a
   * key must never fail to build inside the processor.
   */
  public static String byUpdated(String orgId, LeadStatus status, long lastUpdatedMillis, long leadId) {
    return byUpdatedPrefix(orgId, status) + padded(Math.max(0L, lastUpdatedMillis)) + SEPARATOR + padded(leadId);
  }

  public static String byUpdatedPrefix(String orgId, LeadStatus status) {
    return orgId + SEPARATOR + "updated" + SEPARATOR + status.name() + SEPARATOR;
  }

  /** An entry of the search index ordering one status of the org by id, the org's creation sequence. */
  public static String byCreated(String orgId, LeadStatus status, long leadId) {
    return byCreatedPrefix(orgId, status) + padded(leadId);
  }

  public static String byCreatedPrefix(String orgId, LeadStatus status) {
    return orgId + SEPARATOR + "created" + SEPARATOR + status.name() + SEPARATOR;
  }

  /** An entry of the search index listing one customer's leads by id. */
  public static String byCustomer(String orgId, long userId, long leadId) {
    return byCustomerPrefix(orgId, userId) + padded(leadId);
  }

  public static String byCustomerPrefix(String orgId, long userId) {
    return orgId + SEPARATOR + "customer" + SEPARATOR + padded(userId) + SEPARATOR;
  }

  /**
   * A key sorting after every index key that starts with {@code prefix}: what follows the prefixes
   * of the index keys is digits and separators only, all of which sort before '~'.
   */
  public static String endOf(String prefix) {
    return prefix + "~";
  }

  /** The lead id at the end of a search-index key. */
  public static long leadIdOf(String indexKey) {
    return Long.parseLong(indexKey.substring(indexKey.lastIndexOf(SEPARATOR) + 1));
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
