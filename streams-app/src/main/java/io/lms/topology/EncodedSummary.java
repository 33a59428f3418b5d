package io.lms.topology;

import io.lms.schema.LeadState;
import io.lms.schema.LeadSummary;
import io.lms.schema.codec.SingleObjectCodec;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A {@link LeadSummary} as the indexes store it: left encoded until a filter needs one of its
 * fields. A store deserializes every value an iterator passes, so a walk that decides on keys alone
 * (status, sort order, offset) would otherwise pay an Avro decode for each entry it skips.
 */
public final class EncodedSummary {
  // Immutable and thread-safe: the processor and interactive queries share it.
  private static final SingleObjectCodec<LeadSummary> CODEC = SingleObjectCodec.of(LeadSummary.class);

  private final byte[] bytes;

  private EncodedSummary(byte[] bytes) {
    this.bytes = bytes;
  }

  public static LeadSummary summaryOf(LeadState lead) {
    return new LeadSummary(lead.getStatus(), lead.getType(), lead.getSubStatus(), lead.getUserId(),
        lead.getOwner(), lead.getOrgSourceId());
  }

  public static EncodedSummary of(LeadSummary summary) {
    return new EncodedSummary(CODEC.encode(summary));
  }

  /**
   * The summary.
   *
   * @throws SerializationException when the stored bytes are not a known LeadSummary version
   */
  public LeadSummary decode() {
    try {
      return CODEC.decode(bytes);
    } catch (RuntimeException e) {
      throw new SerializationException(e.getMessage(), e);
    }
  }

  /** The serde of the index stores; a null value is a tombstone. */
  public static Serde<EncodedSummary> serde() {
    return Serdes.serdeFrom(
        (topic, value) -> value == null ? null : value.bytes,
        (topic, data) -> data == null ? null : new EncodedSummary(data));
  }
}
