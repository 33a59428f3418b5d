package io.lms.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used so far by the whole machine and by this JVM (broker, Streams and clients alike),
 * from {@code /proc}. Two samples tell how much of the machine the run had: when other work (a
 * Maven build, tests) took CPU during a measurement, the figure is disturbed and is re-run.
 *
 * @param machineBusyTicks busy CPU time of all cores, in clock ticks
 * @param processTicks user and system CPU time of this process, in clock ticks
 * @param nanos when the sample was taken (System.nanoTime)
 */
record MachineSample(long machineBusyTicks, long processTicks, long nanos) {
  /** USER_HZ: 100 on every Linux this runs on. */
  static final double TICKS_PER_SECOND = 100.0;

  static MachineSample now() {
    return new MachineSample(readMachineBusyTicks(), readProcessTicks(), System.nanoTime());
  }

  /** Cores' worth of CPU this JVM used between the two samples. */
  static double processCores(MachineSample from, MachineSample to) {
    return (to.processTicks - from.processTicks) / TICKS_PER_SECOND / seconds(from, to);
  }

  /** Cores' worth of CPU everything else on the machine used between the two samples. */
  static double otherCores(MachineSample from, MachineSample to) {
    long others = (to.machineBusyTicks - from.machineBusyTicks) - (to.processTicks - from.processTicks);
    return Math.max(0, others) / TICKS_PER_SECOND / seconds(from, to);
  }

  /** CPU seconds this JVM used between the two samples. */
  static double processSeconds(MachineSample from, MachineSample to) {
    return (to.processTicks - from.processTicks) / TICKS_PER_SECOND;
  }

  private static double seconds(MachineSample from, MachineSample to) {
    return Math.max(1e-9, (to.nanos - from.nanos) / 1e9);
  }

  /** The 1-, 5- and 15-minute load averages, as {@code uptime} prints them. */
  static String loadAverage() {
    String[] fields = read("/proc/loadavg").trim().split("\\s+");
    return fields.length >= 3 ? fields[0] + ", " + fields[1] + ", " + fields[2] : "?";
  }

  private static long readMachineBusyTicks() {
    // cpu  user nice system idle iowait irq softirq steal guest guest_nice
    String[] f = read("/proc/stat").lines().findFirst().orElse("cpu").trim().split("\\s+");
    long busy = 0;
    for (int i = 1; i < f.length && i <= 8; i++) {
      if (i != 4 && i != 5) { // idle and iowait are not busy
        busy += Long.parseLong(f[i]);
      }
    }
    return busy;
  }

  private static long readProcessTicks() {
    return processTicks("self");
  }

  /** User and system CPU time of process {@code pid} ({@code self}: this one), in clock ticks. */
  static long processTicks(String pid) {
    String stat = read("/proc/" + pid + "/stat");
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
