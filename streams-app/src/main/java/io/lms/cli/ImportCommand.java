package io.lms.cli;

import io.lms.command.CommandGateway;
import io.lms.domain.CommandHandler;
import io.lms.runtime.InvalidSettingException;
import io.lms.runtime.KafkaAuthenticationFailure;
import io.lms.runtime.KafkaClientSettings;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lms import}: a file of API request bodies, one per line, sent as commands. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Sends a file of API request bodies, one per line, as commands and reports their outcomes.",
      "",
      "Each line is the body of one Leads v2 write, judged as the HTTP API judges it; a line that is"
          + " no valid body is reported as malformed and never sent. The commands go to"
          + " <prefix>lead-commands; the import waits for each result on <prefix>command-results and"
          + " prints how many lines were accepted and rejected, by error code.",
      "",
      "Each line's commandId is <id-prefix>:<line number>, so running the same file again changes"
          + " nothing and reports the first outcomes. A rejected line keeps its outcome on a re-run:"
          + " fix it in a new file (--rejects writes one) and import that.",
      "",
      "Exit codes: 0 every line accepted; 1 failed, or some lines have no outcome yet (run the same"
          + " file again); 2 bad arguments; 3 some lines rejected or malformed."
    })
final class ImportCommand implements Callable<Integer> {
  static final int SOME_NOT_ACCEPTED = 3;
  private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration PLAIN_PROGRESS_EVERY = Duration.ofSeconds(5);

  @ParentCommand LmsCli parent;
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ClusterOptions cluster;

  @Parameters(index = "0", paramLabel = "<file>", description = "JSON lines, one request body per line (UTF-8)")
  Path file;

  @Option(names = "--org", required = true, paramLabel = "<org>", description = "The org the commands act in")
  String org;

  @Option(names = "--staff-id", required = true, paramLabel = "<id>",
      description = "The acting staff (till) id: the commands' actorId and default createdBy")
  long staffId;

  @Option(names = "--kind", paramLabel = "<kind>", defaultValue = "create-lead", converter = KindConverter.class,
      description = "What each line is: create-lead (default), update-lead, change-status, follow-up (these three"
          + " with a \"leadId\" field), sub-status, reasons")
  ImportKind kind;

  @Option(names = "--id-prefix", paramLabel = "<prefix>",
      description = "Prefix of the commandIds (default: the file's name)")
  String idPrefix;

  @Option(names = "--rejects", paramLabel = "<file>",
      description = "Write the lines that were not accepted (rejected, malformed, no outcome) to this file")
  Path rejectsFile;

  @Option(names = "--timeout", paramLabel = "<duration>", defaultValue = "PT60S",
      description = "How long to wait for each command's result (ISO-8601, default ${DEFAULT-VALUE})")
  Duration timeout;

  @Option(names = "--max-in-flight", paramLabel = "<n>", defaultValue = "1000",
      description = "Commands awaiting their result at once (default ${DEFAULT-VALUE})")
  int maxInFlight;

  @Override
  public Integer call() throws IOException, InterruptedException {
    LmsCli.quietLogs();
    validate();
    ClusterOptions.Cluster target = cluster.resolve(parent);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String prefix = idPrefix != null ? idPrefix : BulkImport.idPrefixOf(file.getFileName().toString());
    long totalLines = countLines(file);
    requireTopics(target);

    err.printf("lms import: %s (%,d lines) as %s in org %s, staff %d, commandIds %s:<line>, to %s on %s%n",
        file, totalLines, kind.label(), org, staffId, prefix, target.topics().commands().name(),
        target.bootstrapServers());
    var tally = new ImportTally();
    long start;
    try (var gateway = new CommandGateway(target.connection(), target.topics(),
            "lms-import-" + ProcessHandle.current().pid());
        var rejects = new RejectsFile(rejectsFile);
        var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      if (!gateway.awaitListening(LISTEN_TIMEOUT)) {
        throw new ToolFailure("Could not read " + target.topics().results().name() + " within "
            + LISTEN_TIMEOUT.toSeconds() + " s: no command was sent");
      }
      start = System.nanoTime();
      var importer = new BulkImport(gateway, kind, org, staffId, prefix, Clock.systemUTC(), timeout, maxInFlight);
      try (var progress = new ImportProgress(err, tally, totalLines, parent.console().isPresent(),
          PLAIN_PROGRESS_EVERY)) {
        importer.run(reader, tally, rejects);
      }
    }
    tally.printSummary(out, Duration.ofNanos(System.nanoTime() - start));
    if (rejectsFile != null && !tally.allAccepted()) {
      out.println("lines not accepted written to " + rejectsFile);
    }
    if (tally.anyUnknown()) {
      return LmsCli.FAILED;
    }
    return tally.allAccepted() ? 0 : SOME_NOT_ACCEPTED;
  }

  private void validate() {
    if (!CommandHandler.isValidOrgId(org)) {
      throw new InvalidSettingException("--org must be 1 to 64 letters, digits, '_', '.' or '-': \"" + org + "\"");
    }
    if (staffId < 1) {
      throw new InvalidSettingException("--staff-id must be a positive number: " + staffId);
    }
    if (idPrefix != null && !idPrefix.matches("[A-Za-z0-9_.:-]{1,100}")) {
      throw new InvalidSettingException("--id-prefix must be 1 to 100 letters, digits, '_', '.', ':' or '-'");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new InvalidSettingException("--timeout must be positive: " + timeout);
    }
    if (maxInFlight < 1) {
      throw new InvalidSettingException("--max-in-flight must be positive: " + maxInFlight);
    }
    if (!Files.isReadable(file)) {
      throw new InvalidSettingException("Cannot read " + file.toAbsolutePath());
    }
  }

  /** Refuses to start before anything is sent, rather than time out on every line. */
  private static void requireTopics(ClusterOptions.Cluster target) throws InterruptedException {
    List<String> needed = List.of(target.topics().commands().name(), target.topics().results().name());
    try (Admin admin = target.admin()) {
      admin.describeTopics(needed).allTopicNames().get(ClusterOptions.API_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      KafkaAuthenticationFailure.throwIfIn(e);
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new ToolFailure("No topics " + needed + " on " + target.bootstrapServers()
            + ": check --prefix, or create them with `lms topics` (the service does at start)");
      }
      throw new ToolFailure("Cannot describe " + needed + " on " + target.bootstrapServers() + ": "
          + e.getCause().getMessage());
    } catch (TimeoutException e) {
      throw new ToolFailure("Kafka at " + target.bootstrapServers() + " did not answer within "
          + ClusterOptions.API_TIMEOUT_MS / 1000 + " s: " + KafkaClientSettings.WHEN_KAFKA_DOES_NOT_ANSWER);
    }
  }

  static long countLines(Path file) throws IOException {
    long lines = 0;
    int last = '\n';
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            lines++;
          }
        }
        last = buffer[n - 1];
      }
    }
    return last == '\n' ? lines : lines + 1;
  }

  /** The lines not accepted, written as they come (from two threads: reader and results). */
  private static final class RejectsFile implements BulkImport.RejectedLines, AutoCloseable {
    private final BufferedWriter writer;

    RejectsFile(Path path) throws IOException {
      this.writer = path == null ? null : Files.newBufferedWriter(path, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void add(long line, String text) {
      if (writer == null) {
        return;
      }
      try {
        writer.write(text);
        writer.newLine();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public synchronized void close() throws IOException {
      if (writer != null) {
        writer.close();
      }
    }
  }

  static final class KindConverter implements CommandLine.ITypeConverter<ImportKind> {
    @Override
    public ImportKind convert(String value) {
      try {
        return ImportKind.ofLabel(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(
            "unknown kind '" + value + "': expected create-lead, update-lead, change-status, follow-up, sub-status"
                + " or reasons");
      }
    }
  }
}
