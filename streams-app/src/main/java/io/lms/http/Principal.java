package io.lms.http;

/**
 * Who calls: a till or staff user of one org. The org and the acting staff id come from here
 * alone, never from a path, a body or a query.
 */
public record Principal(String username, String orgId, long staffId) {}
