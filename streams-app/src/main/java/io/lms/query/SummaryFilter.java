package io.lms.query;

import io.lms.schema.LeadStatus;
import io.lms.schema.LeadSummary;
import io.lms.schema.LeadType;
import java.util.Optional;

/**
 * The filters of a search, decided on an index entry's {@link LeadSummary}: no LeadState is
 * decoded for a lead the search leaves out.
 *
 * @param status only this status; when empty, every status but DELETED
 */
record SummaryFilter(
    Optional<LeadStatus> status,
    Optional<LeadType> type,
    Optional<String> subStatus,
    Optional<Long> userId,
    Optional<String> owner,
    Optional<Long> orgSourceId) {

  static SummaryFilter of(LeadSearch search) {
    return new SummaryFilter(search.status(), search.type(), search.subStatus(), search.userId(), search.owner(),
        search.orgSourceId());
  }

  /**
   * Whether anything beyond the status is asked for. In the status indexes the key already
   * decides the status, so only then is an entry's summary worth decoding.
   */
  boolean beyondStatus() {
    return type.isPresent() || subStatus.isPresent() || userId.isPresent() || owner.isPresent()
        || orgSourceId.isPresent();
  }

  boolean matches(LeadSummary lead) {
    if (status.isPresent() ? lead.getStatus() != status.get() : lead.getStatus() == LeadStatus.DELETED) {
      return false;
    }
    return (type.isEmpty() || lead.getType() == type.get())
        && (subStatus.isEmpty() || subStatus.get().equals(lead.getSubStatus()))
        && (userId.isEmpty() || lead.getUserId() == userId.get())
        && (owner.isEmpty() || owner.get().equals(lead.getOwner()))
        && (orgSourceId.isEmpty() || lead.getOrgSourceId() == orgSourceId.get());
  }
}
