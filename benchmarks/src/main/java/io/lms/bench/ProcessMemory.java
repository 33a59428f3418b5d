package io.lms.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's resident memory from {@code /proc/self/status}: heap, the broker's page-cache-free
 * buffers, and RocksDB's native memory alike, which is what the machine has to give.
 *
 * @param residentKb VmRSS, resident now
 * @param peakResidentKb VmHWM, the most resident at any time so far
 * @param heapCommittedKb the Java heap the JVM holds now (part of the resident memory)
 * @param heapMaxKb the heap's limit (-Xmx)
 */
record ProcessMemory(long residentKb, long peakResidentKb, long heapCommittedKb, long heapMaxKb) {

  static ProcessMemory now() {
    long rss = -1;
    long hwm = -1;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = kilobytes(line);
        } else if (line.startsWith("VmHWM:")) {
          hwm = kilobytes(line);
        }
      }
    } catch (IOException e) {
      // Not Linux: report unknown rather than fail a finished benchmark.
    }
    Runtime runtime = Runtime.getRuntime();
    return new ProcessMemory(rss, hwm, runtime.totalMemory() / 1024, runtime.maxMemory() / 1024);
  }

  private static long kilobytes(String line) {
    // "VmRSS:	  812345 kB"
    return Long.parseLong(line.replaceAll("[^0-9]", ""));
  }

  static String megabytes(long kb) {
    return kb < 0 ? "unknown" : String.format("%,d MB", Math.round(kb / 1024.0));
  }
}
