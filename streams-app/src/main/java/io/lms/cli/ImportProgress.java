package io.lms.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shows how far an import is, on stderr: a bar redrawn in place on a terminal, else (a log, a CI
 * job, a container) a plain line every few seconds, which a file can hold.
 */
final class ImportProgress implements AutoCloseable {
  private static final int BAR_WIDTH = 30;
  private static final Duration BAR_REFRESH = Duration.ofMillis(200);

  private final PrintWriter err;
  private final ImportTally tally;
  private final long totalLines;
  private final boolean bar;
  private final long startNanos = System.nanoTime();
  private final ScheduledExecutorService ticker;
  private int lastWidth;

  /**
   * @param totalLines lines in the file, for the percentage
   * @param bar a redrawn bar (on a terminal) rather than plain lines
   * @param plainEvery how often a plain line is printed
   */
  ImportProgress(PrintWriter err, ImportTally tally, long totalLines, boolean bar, Duration plainEvery) {
    this.err = err;
    this.tally = tally;
    this.totalLines = totalLines;
    this.bar = bar;
    this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "lms-import-progress");
      thread.setDaemon(true);
      return thread;
    });
    long every = (bar ? BAR_REFRESH : plainEvery).toMillis();
    ticker.scheduleAtFixedRate(this::show, every, every, TimeUnit.MILLISECONDS);
  }

  private synchronized void show() {
    String text = line(tally.counts(), System.nanoTime() - startNanos);
    if (bar) {
      // Pad over the end of a longer previous line; no newline, so the next one redraws it.
      err.print("\r" + text + " ".repeat(Math.max(0, lastWidth - text.length())));
      lastWidth = text.length();
    } else {
      err.println("lms import: " + text);
    }
    err.flush();
  }

  String line(ImportTally.Counts counts, long elapsedNanos) {
    long done = counts.done();
    double fraction = totalLines == 0 ? 1 : Math.min(1, (double) done / totalLines);
    double seconds = Math.max(elapsedNanos, 1) / 1e9;
    String numbers = String.format(Locale.ROOT, "%3d%%  %,d/%,d lines  %,.0f lines/s  accepted %,d  rejected %,d  malformed %,d",
        (int) (fraction * 100), done, totalLines, done / seconds, counts.accepted(), counts.rejected(),
        counts.malformed());
    if (!bar) {
      return numbers;
    }
    int filled = (int) Math.round(fraction * BAR_WIDTH);
    return "[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "] " + numbers;
  }

  /** Stops the display, after one last update that shows the final numbers. */
  @Override
  public void close() {
    ticker.shutdownNow();
    try {
      ticker.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    show();
    if (bar) {
      err.println();
      err.flush();
    }
  }
}
