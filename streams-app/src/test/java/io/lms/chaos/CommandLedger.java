package io.lms.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the load generator sent and what it was told: every command by its commandId, with the
 * last answer to it (HTTP) or whether the broker acknowledged it (direct), and the poison records.
 */
final class CommandLedger {
  enum Channel { HTTP, DIRECT }

  enum Kind { CREATE_LEAD, UPDATE_LEAD, CHANGE_STATUS, FOLLOW_UP, CONFIGURE_REASONS, CREATE_SUB_STATUS }

  /**
   * An HTTP answer that carries an outcome: 200 with the body, or 4xx with the error codes.
   * A 503 or no answer at all is not an outcome.
   */
  record Answer(int status, List<Integer> codes, JsonNode body) {
    boolean accepted() {
      return status == 200;
    }
  }

  static final class Sent {
    final String commandId;
    final String org;
    final Channel channel;
    final Kind kind;
    final AtomicInteger attempts = new AtomicInteger();
    volatile Answer answer;
    volatile boolean acknowledged;

    Sent(String commandId, String org, Channel channel, Kind kind) {
      this.commandId = commandId;
      this.org = org;
      this.channel = channel;
      this.kind = kind;
    }
  }

  /** A record of bytes that no LMS reader can decode, sent to the command topic on purpose. */
  record Poison(String org, byte[] value, boolean acknowledged) {}

  private final Map<String, Sent> sent = new ConcurrentHashMap<>();
  private final Collection<Poison> poison = new ConcurrentLinkedQueue<>();
  final AtomicInteger httpNotAnswered = new AtomicInteger();
  final AtomicInteger httpRetries = new AtomicInteger();
  final AtomicInteger directResends = new AtomicInteger();

  Sent record(String commandId, String org, Channel channel, Kind kind) {
    Sent entry = new Sent(commandId, org, channel, kind);
    if (sent.putIfAbsent(commandId, entry) != null) {
      throw new IllegalStateException("commandId " + commandId + " used twice by the generator");
    }
    return entry;
  }

  void poison(String org, byte[] value, boolean acknowledged) {
    poison.add(new Poison(org, value, acknowledged));
  }

  Collection<Sent> commands() {
    return new ArrayList<>(sent.values());
  }

  List<Poison> poison() {
    return new ArrayList<>(poison);
  }
}
