package io.lms.domain;

import io.lms.schema.ApiError;
import java.text.MessageFormat;
import java.util.Locale;

/**
 * The error codes LMS answers with: the Leads API's own (920xx), then this project's (930xx) for
 * what the API leaves out. Messages take their arguments in {@code {0}}, {@code {1}} placeholders.
 */
public enum ErrorCode {
  LEAD_NOT_FOUND(92001, "Lead not found"),
  DUPLICATE_LEAD_STATUS(92002, "Duplicate Lead Status"),
  INVALID_LEAD_STATUS(92003, "Invalid Lead Status {0}"),
  REASON_NOT_FOUND(92004, "Lead Reason not found with id {0}"),
  FOLLOWED_UP_ON_NULL(92005, "followedUpOn cannot be null"),
  LEAD_FOR_NULL(92006, "leadFor cannot be null"),
  USER_ID_NULL(92007, "userId cannot be null"),
  USER_NOT_FOUND(92008, "No user found with the given userId {0}"),
  INVALID_LEAD_TYPE(92009, "Invalid Lead Type"),
  LEAD_ID_NULL(92010, "LeadId cannot be null"),
  CUSTOMER_REGISTRATION_FAILED(92011, "Customer Registration failed"),
  USER_DETAILS_EMPTY(92012, "User Details cannot be empty"),
  ORG_SOURCE_NULL(92013, "Org Source cannot be null"),
  INVALID_ORG_SOURCE(92014, "Invalid org source"),
  INVALID_ID_TYPE(92015, "Invalid Id Type"),
  INVALID_SKU(92016, "Invalid SKU {0}"),
  INVALID_BRAND(92017, "Invalid Brand {0}"),
  INVALID_CATEGORY(92018, "Invalid Category {0}"),
  INVALID_OWNER(92019, "Invalid lead owner {0}"),
  INVALID_SUB_STATUS(92020, "Invalid lead sub status {0}"),
  SUB_STATUS_EXISTS(92021, "Lead sub status {0} already exists for status {1}"),
  STATUS_EMPTY(92022, "Lead status cannot be empty"),
  SUB_STATUS_EMPTY(92023, "Lead sub status cannot be empty"),
  LEAD_CLOSED(92024, "Status change not allowed on closed leads"),
  AUTO_REGISTRATION_OFF(92025, "Customer is not registered. Auto-registration is off"),

  // The project's own codes.
  MALFORMED_REQUEST(93001, "Malformed request body: {0}"),
  UNKNOWN_FIELD(93002, "Unknown field {0}"),
  INVALID_VALUE(93003, "Invalid value for {0}: {1}"),
  TOO_LONG(93004, "{0} is too long: at most {1} allowed"),
  INVALID_DATE_TIME(93005, "Invalid date-time for {0}: {1} (expected YYYY-MM-DDThh:mm:ssTZD)"),
  LIMIT_TOO_LARGE(93006, "limit {0} is above the maximum of {1}"),
  INVALID_ENVELOPE(93007, "Invalid command: {0}"),
  NOTHING_TO_UPDATE(93008, "Nothing to update: give extendedFields or owner"),
  REASON_EMPTY(93009, "Lead reason cannot be empty"),
  HISTORY_FULL(93010, "Lead {0} already has {1} {2}, the most one lead may hold"),
  UNAUTHENTICATED(93011, "Authentication required"),
  FORBIDDEN(93012, "Not allowed"),
  RATE_LIMITED(93013, "Too many requests for this org"),
  NOT_READY(93014, "Service not ready: {0}"),
  OUTCOME_UNKNOWN(93015, "The outcome of command {0} is not known yet: retry with the same Idempotency-Key"),
  PAYLOAD_TOO_LARGE(93016, "Request body is larger than {0} bytes"),
  NOT_FOUND(93017, "No such resource: {0}"),
  METHOD_NOT_ALLOWED(93018, "Method not allowed"),
  MALFORMED_HTTP(93019, "Malformed HTTP request: {0}"),
  FORWARD_REFUSED(93020, "Request marked as forwarded by an instance refused: {0}"),
  INTERNAL_ERROR(93021, "Internal error: {0}"),
  IDEMPOTENCY_KEY_IN_FLIGHT(93022, "A request with Idempotency-Key {0} is still in progress: retry once it is answered"),
  IDEMPOTENCY_KEY_REUSED(93023, "Idempotency-Key {0} was already used for a different request");

  private final int code;
  private final String template;

  ErrorCode(int code, String template) {
    this.code = code;
    this.template = template;
  }

  public int code() {
    return code;
  }

  public String template() {
    return template;
  }

  public String message(Object... args) {
    if (args.length == 0) {
      return template;
    }
    Object[] texts = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      texts[i] = String.valueOf(args[i]);
    }
    return new MessageFormat(template.replace("'", "''"), Locale.ROOT).format(texts);
  }

  public ApiError error(Object... args) {
    return new ApiError(code, message(args));
  }
}
