package io.lms.bench;

import io.lms.bench.BenchmarkOptions.App;
import java.util.List;

/**
 * One timed run of one app.
 *
 * @param records input records committed between the two observations
 * @param seconds wall time between the observation that the warm-up was committed and the one
 *     that the last input record was
 * @param processCores cores' worth of CPU this JVM used meanwhile (broker, Streams, clients)
 * @param otherCores cores' worth of CPU the rest of the machine used meanwhile
 * @param processCpuSeconds CPU seconds this JVM used meanwhile
 * @param loadAverage the load averages when the measurement started
 * @param checks what counting the outputs found, one line each
 * @param checksPassed false when an output count was not what the input implies
 */
record RunResult(
    App app,
    int round,
    long records,
    double seconds,
    double processCores,
    double otherCores,
    double processCpuSeconds,
    String loadAverage,
    List<String> checks,
    boolean checksPassed) {

  double recordsPerSecond() {
    return records / seconds;
  }

  /** CPU microseconds the whole JVM spent per record: what a run costs, whatever the cores. */
  double cpuMicrosPerRecord() {
    return processCpuSeconds * 1e6 / records;
  }
}
