package io.lms.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The running count of a bulk import: how many lines were read, sent, accepted, rejected (by error
 * code, with the first few line numbers of each) and malformed. Updated from the reading thread and
 * from the thread that receives results, read by the progress display: all methods are
 * synchronized.
 */
final class ImportTally {
  /** Line numbers kept per error code, and malformed lines listed in the summary. */
  static final int LINES_SHOWN = 10;

  private long read;
  private long blank;
  private long sent;
  private long accepted;
  private long rejected;
  private long unknown;
  private final Map<Integer, Problem> rejectedByCode = new TreeMap<>();
  private final List<Malformed> malformed = new ArrayList<>();
  private long malformedCount;
  private final List<Long> unknownLines = new ArrayList<>();
  private String firstUnknownReason;
  private long stoppedAtLine;

  /** Lines with one error code: how many, the first message, the first line numbers. */
  static final class Problem {
    private final String firstMessage;
    private final List<Long> lines = new ArrayList<>();
    private long count;

    private Problem(String firstMessage) {
      this.firstMessage = firstMessage;
    }

    long count() {
      return count;
    }

    List<Long> firstLines() {
      return List.copyOf(lines);
    }

    String firstMessage() {
      return firstMessage;
    }
  }

  record Malformed(long line, int code, String message) {}

  /** A point-in-time copy of the counters, for progress lines. */
  record Counts(long read, long blank, long sent, long accepted, long rejected, long malformed, long unknown) {
    /** Lines whose fate is known: skipped, refused here, or answered by the service. */
    long done() {
      return blank + malformed + accepted + rejected + unknown;
    }

    long waiting() {
      return sent - accepted - rejected - unknown;
    }
  }

  synchronized void lineRead() {
    read++;
  }

  synchronized void blank() {
    blank++;
  }

  synchronized void malformed(long line, int code, String message) {
    malformedCount++;
    if (malformed.size() < LINES_SHOWN) {
      malformed.add(new Malformed(line, code, message));
    }
  }

  synchronized void sent() {
    sent++;
  }

  synchronized void accepted() {
    accepted++;
  }

  synchronized void rejected(long line, int code, String message) {
    rejected++;
    Problem problem = rejectedByCode.computeIfAbsent(code, c -> new Problem(message));
    problem.count++;
    if (problem.lines.size() < LINES_SHOWN) {
      problem.lines.add(line);
    }
  }

  /** No result in time, or the command could not be sent: whether it applied is not known. */
  synchronized void unknown(long line, String reason) {
    unknown++;
    if (unknownLines.size() < LINES_SHOWN) {
      unknownLines.add(line);
    }
    if (firstUnknownReason == null) {
      firstUnknownReason = reason;
    }
  }

  /** No line from {@code line} on was sent, because a result was overdue. */
  synchronized void stopped(long line) {
    stoppedAtLine = line;
  }

  synchronized Counts counts() {
    return new Counts(read, blank, sent, accepted, rejected, malformedCount, unknown);
  }

  synchronized Map<Integer, Problem> rejectedByCode() {
    return Map.copyOf(rejectedByCode);
  }

  synchronized List<Malformed> malformedLines() {
    return List.copyOf(malformed);
  }

  /** Every line that was not blank was accepted. */
  synchronized boolean allAccepted() {
    return accepted == read - blank;
  }

  synchronized boolean anyUnknown() {
    return unknown > 0 || stoppedAtLine > 0;
  }

  /** The summary printed at the end of an import. */
  synchronized void printSummary(PrintWriter out, Duration elapsed) {
    out.printf(Locale.ROOT, "lines read    %,10d%s%n", read, blank == 0 ? "" : "   (" + blank + " blank, skipped)");
    out.printf(Locale.ROOT, "sent          %,10d%n", sent);
    out.printf(Locale.ROOT, "accepted      %,10d%n", accepted);
    out.printf(Locale.ROOT, "rejected      %,10d%n", rejected);
    rejectedByCode.forEach((code, problem) -> out.printf(Locale.ROOT, "  %d  %,8d   %s   %s%n",
        code, problem.count, problem.firstMessage, lineList(problem.lines, problem.count)));
    out.printf(Locale.ROOT, "malformed     %,10d%s%n", malformedCount, malformedCount == 0 ? "" : "   (never sent)");
    for (Malformed m : malformed) {
      out.printf(Locale.ROOT, "  line %d: %d %s%n", m.line(), m.code(), m.message());
    }
    if (malformedCount > malformed.size()) {
      out.printf(Locale.ROOT, "  ... and %,d more%n", malformedCount - malformed.size());
    }
    out.printf(Locale.ROOT, "no outcome    %,10d%s%n", unknown,
        unknown == 0 ? "" : "   (" + firstUnknownReason + "; " + lineList(unknownLines, unknown)
            + "; run the same file again: it is idempotent)");
    if (stoppedAtLine > 0) {
      out.printf(Locale.ROOT, "stopped       before line %d: a result was overdue, so the rest was not sent;"
          + " is LMS running? Run the same file again to go on%n", stoppedAtLine);
    }
    double seconds = Math.max(elapsed.toNanos(), 1) / 1e9;
    out.printf(Locale.ROOT, "time          %10.1f s   %,.0f lines/s, %,.0f commands/s%n",
        seconds, (read - blank) / seconds, sent / seconds);
  }

  private static String lineList(List<Long> lines, long total) {
    var text = new StringBuilder(lines.size() == 1 ? "line " : "lines ");
    for (int i = 0; i < lines.size(); i++) {
      text.append(i == 0 ? "" : ", ").append(lines.get(i));
    }
    if (total > lines.size()) {
      text.append(", ...");
    }
    return text.toString();
  }
}
