package io.lms.bench;

import io.lms.bench.BenchmarkOptions.App;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The benchmark's verdict as one table: records/s of each app, the ratios, the targets of
 * ARCHITECTURE.md ("Numbers the product must reach") and PASS or FAIL. Pure, so it is tested.
 */
final class ResultTable {
  /** The full topology must reach this many commands per second... */
  static final double TARGET_RECORDS_PER_SECOND = 20_000;
  /** ...and at least this share of the minimal lead processor's rate on the same broker. */
  static final double TARGET_SHARE_OF_MINIMAL = 0.50;
  /** Everything is CPU-bound on 2 cores: a tenth of a core taken by others already shows. */
  static final double DISTURBED_OTHER_CORES = 0.15;

  private ResultTable() {}

  /** The median rate of {@code app} over its rounds, when it ran. */
  static OptionalDouble medianRate(List<RunResult> results, App app) {
    return median(results, app, RunResult::recordsPerSecond);
  }

  /**
   * @param everyApp the producer and RocksDB settings every app of the run was given
   */
  static String render(BenchmarkOptions options, Map<String, String> everyApp, List<RunResult> results,
      ProcessMemory memory) {
    var out = new StringBuilder();
    line(out, "LMS command throughput: %,d measured commands per app after %,d warm-up commands, %,d org%s,"
        + " %d partition%s, seed %d%s",
        options.commands(), options.warmup(), options.orgs(), options.orgs() == 1 ? "" : "s",
        options.partitions(), options.partitions() == 1 ? "" : "s", options.seed(),
        options.rounds() > 1 ? ", median of " + options.rounds() + " rounds" : "");
    line(out, "every app: exactly_once_v2, commit.interval.ms=100, %d stream thread%s, on one embedded broker in this JVM",
        options.threads(), options.threads() == 1 ? "" : "s");
    line(out, "every app, as LMS runs: %s", everyApp.entrySet().stream()
        .map(setting -> setting.getKey() + "=" + setting.getValue()).collect(Collectors.joining(", ")));
    line(out, "warm-up: %s; each run then times only the commands after its first %,d",
        options.jvmWarmup() > 0 ? String.format(Locale.ROOT, "one untimed run of each app on %,d commands first",
            options.jvmWarmup()) : "no warm-up run", options.warmup());
    if (options.boundedRocksDb()) {
      line(out, "RocksDB: every store of the stateful apps shares one %d MB cache (--bounded-rocksdb)",
          BoundedRocksDbMemory.TOTAL_BYTES / (1024 * 1024));
    }
    if (!options.fullOverrides().isEmpty()) {
      line(out, "full topology overrides: %s", options.fullOverrides());
    }
    if (!options.referenceOverrides().isEmpty()) {
      line(out, "reference overrides: %s", options.referenceOverrides());
    }
    line(out, "");
    line(out, "%-50s %12s %14s %10s %12s", "app", "records/s", "CPU us/record", "JVM cores", "other cores");
    for (App app : options.apps()) {
      OptionalDouble rate = medianRate(results, app);
      if (rate.isEmpty()) {
        continue;
      }
      line(out, "%-50s %,12.0f %14.1f %10.2f %12.2f%s", app.label, rate.getAsDouble(),
          median(results, app, RunResult::cpuMicrosPerRecord).orElse(Double.NaN),
          median(results, app, RunResult::processCores).orElse(Double.NaN),
          median(results, app, RunResult::otherCores).orElse(Double.NaN),
          options.rounds() > 1 ? "   rounds: " + rounds(results, app) : "");
    }
    line(out, "");
    OptionalDouble full = medianRate(results, App.FULL);
    OptionalDouble minimal = medianRate(results, App.MINIMAL);
    OptionalDouble passThrough = medianRate(results, App.PASS_THROUGH);
    if (full.isPresent()) {
      double rate = full.getAsDouble();
      line(out, "%-30s %,14.0f/s   target >= %,.0f/s   %s", "full LMS topology", rate, TARGET_RECORDS_PER_SECOND,
          verdict(rate >= TARGET_RECORDS_PER_SECOND));
      if (minimal.isPresent()) {
        double share = rate / minimal.getAsDouble();
        line(out, "%-30s %14s     target >= %.0f%%        %s", "full / minimal", percent(share),
            TARGET_SHARE_OF_MINIMAL * 100, verdict(share >= TARGET_SHARE_OF_MINIMAL));
      } else {
        line(out, "%-30s %14s", "full / minimal", "n/a (minimal not run)");
      }
      line(out, "%-30s %14s     (printed beside, no target)", "full / pass-through",
          passThrough.isPresent() ? percent(rate / passThrough.getAsDouble()) : "n/a");
    }
    OptionalDouble withoutRouter = medianRate(results, App.FULL_WITHOUT_ROUTER);
    if (full.isPresent() && withoutRouter.isPresent()) {
      line(out, "%-30s %14s     (the router's cost on commands that arrive at their org's partition)",
          "full / full without router", percent(full.getAsDouble() / withoutRouter.getAsDouble()));
    }
    if (minimal.isPresent() && passThrough.isPresent()) {
      line(out, "%-30s %14s", "minimal / pass-through", percent(minimal.getAsDouble() / passThrough.getAsDouble()));
    }
    for (RunResult result : results) {
      if (result.otherCores() > DISTURBED_OTHER_CORES) {
        line(out, "");
        line(out, "DISTURBED: other work used %.2f cores during %s, round %d: re-run on a quiet machine",
            result.otherCores(), result.app().label, result.round());
      }
    }
    boolean checksPassed = results.stream().allMatch(RunResult::checksPassed);
    if (!checksPassed) {
      line(out, "");
      line(out, "WARNING: an output count did not match its input (see the checks above): the figures are suspect");
    }
    line(out, "");
    line(out, "resident memory at the end (VmRSS): %s; peak (VmHWM): %s; of it Java heap committed: %s (-Xmx %s)",
        ProcessMemory.megabytes(memory.residentKb()), ProcessMemory.megabytes(memory.peakResidentKb()),
        ProcessMemory.megabytes(memory.heapCommittedKb()), ProcessMemory.megabytes(memory.heapMaxKb()));
    return out.toString();
  }

  private static OptionalDouble median(List<RunResult> results, App app, ToDoubleFunction<RunResult> value) {
    double[] values = results.stream().filter(r -> r.app() == app).mapToDouble(value).sorted().toArray();
    if (values.length == 0) {
      return OptionalDouble.empty();
    }
    int middle = values.length / 2;
    return OptionalDouble.of(values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2);
  }

  private static String rounds(List<RunResult> results, App app) {
    List<String> rates = new ArrayList<>();
    results.stream().filter(r -> r.app() == app)
        .forEach(r -> rates.add(String.format(Locale.ROOT, "%,.0f", r.recordsPerSecond())));
    return rates.stream().collect(Collectors.joining(" / "));
  }

  private static String verdict(boolean pass) {
    return pass ? "PASS" : "FAIL";
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }

  private static void line(StringBuilder out, String format, Object... args) {
    out.append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
