package io.lms.bench;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What one benchmark run does, from its command line. Parsed by a pure function so that a typo
 * fails in a second instead of after minutes of pre-filling.
 *
 * @param commands the measured commands per app
 * @param warmup commands processed by the same app before the measured ones (not timed)
 * @param jvmWarmup commands of the warm-up run of each app before the measured rounds (0: none)
 * @param orgs the orgs the commands are spread over
 * @param partitions partitions of every input and output topic
 * @param threads stream threads of every app (the same for the references as for LMS)
 * @param seed the seed of the command mix
 * @param rounds how many times each app is run; the table shows the median
 * @param apps the apps to run, in this order
 * @param fullOverrides Kafka Streams properties laid over the LMS ones for the full topology only,
 *     for experiments (e.g. {@code statestore.cache.max.bytes=0})
 * @param referenceOverrides Kafka Streams properties laid over the references' (pass-through and
 *     minimal), on top of LMS's producer and RocksDB settings, which they share with the full
 *     topology; for experiments (e.g. {@code producer.compression.type=none}, Kafka's default).
 *     In either, an empty value ({@code rocksdb.config.setter=}) removes the property: Kafka
 *     Streams' default applies
 * @param verify whether the outputs are counted after each run (not timed)
 * @param boundedRocksDb whether every RocksDB store of the stateful apps shares one bounded cache
 *     and memtable budget ({@link BoundedRocksDbMemory}) instead of a cache per store
 */
record BenchmarkOptions(
    long commands,
    long warmup,
    long jvmWarmup,
    int orgs,
    int partitions,
    int threads,
    long seed,
    int rounds,
    List<App> apps,
    Map<String, String> fullOverrides,
    Map<String, String> referenceOverrides,
    boolean verify,
    boolean boundedRocksDb) {

  static final String USAGE =
      """
      Usage: ThroughputBenchmark [options]
        --commands N         measured commands per app (default 1000000)
        --warmup N           commands each app processes before the measured ones, in the
                             same run (default: 20% of --commands)
        --jvm-warmup N       commands of one warm-up run of each app, on topics of its own,
                             before the measured rounds; not in the table (default 200000, 0: none)
        --orgs N             orgs the commands are spread over (default 1000)
        --partitions N       partitions of every topic (default 6)
        --threads N          stream threads of every app, references included (default: the
                             number of cores, as LMS runs by default)
        --seed N             seed of the command mix (default 42)
        --rounds N           runs of each app; the table shows the median (default 1)
        --apps LIST          comma-separated, from pass-through,minimal,full (default all three)
                             and full-without-router (what the router costs: run it beside full)
        --full-property K=V  a Kafka Streams property laid over the LMS ones, for the full
                             topology only (repeatable; for experiments)
        --reference-property K=V
                             a Kafka Streams property laid over the references' (pass-through
                             and minimal), which otherwise share LMS's producer and RocksDB
                             settings (repeatable; for experiments); K= with no value
                             removes K from either, for Kafka Streams' default
        --no-verify          skip counting the outputs after each run
        --bounded-rocksdb    minimal and full: one 256 MB RocksDB cache for all stores, on top
                             of LmsRocksDbConfig (default: a cache per store, as LMS runs)
      """;

  /** The three Streams apps measured side by side. */
  enum App {
    PASS_THROUGH("pass-through", "pass-through (source -> sink, bytes)"),
    MINIMAL("minimal", "minimal lead processor (1 get + 1 put + 1 event)"),
    FULL("full", "full LMS topology"),
    /** Not run unless asked for: the full topology's A/B partner, for what the router costs. */
    FULL_WITHOUT_ROUTER("full-without-router", "full LMS topology without the command router");

    final String id;
    final String label;

    App(String id, String label) {
      this.id = id;
      this.label = label;
    }

    static App of(String id) {
      for (App app : values()) {
        if (app.id.equals(id.trim().toLowerCase(Locale.ROOT))) {
          return app;
        }
      }
      throw new IllegalArgumentException("unknown app '" + id + "' (pass-through, minimal, full or full-without-router)");
    }
  }

  BenchmarkOptions {
    if (commands < 1) {
      throw new IllegalArgumentException("--commands must be positive");
    }
    // The clock starts when the warm-up commands are committed: without any there is no start.
    if (warmup < 1) {
      throw new IllegalArgumentException("--warmup must be positive");
    }
    if (jvmWarmup < 0) {
      throw new IllegalArgumentException("--jvm-warmup must not be negative");
    }
    if (orgs < 1 || partitions < 1 || threads < 1 || rounds < 1) {
      throw new IllegalArgumentException("--orgs, --partitions, --threads and --rounds must be positive");
    }
    if (apps.isEmpty()) {
      throw new IllegalArgumentException("--apps names no app");
    }
    apps = List.copyOf(apps);
    fullOverrides = Map.copyOf(fullOverrides);
    referenceOverrides = Map.copyOf(referenceOverrides);
  }

  static BenchmarkOptions parse(String... args) {
    long commands = 1_000_000;
    Long warmup = null;
    long jvmWarmup = 200_000;
    int orgs = 1_000;
    int partitions = 6;
    int threads = Runtime.getRuntime().availableProcessors();
    long seed = 42;
    int rounds = 1;
    List<App> apps = List.of(App.PASS_THROUGH, App.MINIMAL, App.FULL);
    Map<String, String> fullOverrides = new LinkedHashMap<>();
    Map<String, String> referenceOverrides = new LinkedHashMap<>();
    boolean verify = true;
    boolean boundedRocksDb = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--commands" -> commands = number(arg, value(args, ++i, arg));
        case "--warmup" -> warmup = number(arg, value(args, ++i, arg));
        case "--jvm-warmup" -> jvmWarmup = number(arg, value(args, ++i, arg));
        case "--orgs" -> orgs = Math.toIntExact(number(arg, value(args, ++i, arg)));
        case "--partitions" -> partitions = Math.toIntExact(number(arg, value(args, ++i, arg)));
        case "--threads" -> threads = Math.toIntExact(number(arg, value(args, ++i, arg)));
        case "--seed" -> seed = number(arg, value(args, ++i, arg));
        case "--rounds" -> rounds = Math.toIntExact(number(arg, value(args, ++i, arg)));
        case "--apps" -> apps = apps(value(args, ++i, arg));
        case "--full-property" -> property(arg, value(args, ++i, arg), fullOverrides);
        case "--reference-property" -> property(arg, value(args, ++i, arg), referenceOverrides);
        case "--no-verify" -> verify = false;
        case "--bounded-rocksdb" -> boundedRocksDb = true;
        default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
      }
    }
    return new BenchmarkOptions(
        commands, warmup != null ? warmup : Math.max(1, commands / 5), jvmWarmup, orgs, partitions, threads, seed, rounds, apps,
        fullOverrides, referenceOverrides, verify, boundedRocksDb);
  }

  private static void property(String option, String property, Map<String, String> into) {
    int eq = property.indexOf('=');
    if (eq < 1) {
      throw new IllegalArgumentException(option + " wants KEY=VALUE, not '" + property + "'");
    }
    into.put(property.substring(0, eq).trim(), property.substring(eq + 1).trim());
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  /** Accepts 1000000, 1_000_000 and 1,000,000. */
  private static long number(String option, String text) {
    try {
      return Long.parseLong(text.replace("_", "").replace(",", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " wants a number, not '" + text + "'");
    }
  }

  private static List<App> apps(String text) {
    Set<App> chosen = EnumSet.noneOf(App.class);
    List<App> ordered = new ArrayList<>();
    for (String id : text.split(",")) {
      if (!id.isBlank() && chosen.add(App.of(id))) {
        ordered.add(App.of(id));
      }
    }
    return ordered;
  }
}
