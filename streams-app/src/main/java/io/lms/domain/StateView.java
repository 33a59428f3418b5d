package io.lms.domain;

import io.lms.schema.IdType;
import io.lms.schema.LeadState;
import io.lms.schema.LeadStatus;
import io.lms.schema.OrgSequences;
import io.lms.schema.Reason;
import java.util.Optional;

/** What a command is decided against: the org's current state, read-only. */
public interface StateView {
  Optional<LeadState> lead(String orgId, long leadId);

  Optional<Reason> reason(String orgId, long reasonId);

  boolean subStatusExists(String orgId, LeadStatus status, String subStatus);

  /** Whether the org has registered a customer with this userId. */
  boolean customerExists(String orgId, long userId);

  Optional<Long> userIdByIdentifier(String orgId, IdType idType, String normalisedIdentifier);

  /** The org's sequences; all zero for an org never seen. */
  OrgSequences sequences(String orgId);
}
