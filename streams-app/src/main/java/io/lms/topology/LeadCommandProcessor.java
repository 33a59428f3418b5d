package io.lms.topology;

import io.lms.domain.CommandHandler;
import io.lms.domain.Decision;
import io.lms.domain.Rejection;
import io.lms.schema.CommandResult;
import io.lms.schema.LeadCommand;
import io.lms.schema.LeadEvent;
import io.lms.schema.OrgSequences;
import io.lms.schema.Reason;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.kafka.streams.errors.TaskMigratedException;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies each command of an org to the org's state: looks up the first result of a repeated
 * commandId, else lets {@link CommandHandler} decide, writes what it decided and forwards the
 * result, the events and the changed tables. Also runs the optional auto-close sweep.
 */
final class LeadCommandProcessor implements Processor<String, ReceivedCommand, String, SpecificRecord> {
  /** At most this many leads are closed by one sweep, so that one transaction stays small. */
  static final int AUTO_CLOSE_BATCH = 1_000;

  private static final Logger log = LoggerFactory.getLogger(LeadCommandProcessor.class);

  private final CommandHandler handler;
  private final TopologySettings settings;
  private final FailedApplications failures;
  private final WriteFault fault;
  private ProcessorContext<String, SpecificRecord> context;
  private LeadStores stores;
  /** The decision being applied, and how many of its writes have begun. */
  private Decision applying;
  private int writesBegun;

  LeadCommandProcessor(TopologySettings settings, FailedApplications failures, WriteFault fault) {
    this.settings = settings;
    this.failures = failures;
    this.fault = fault;
    this.handler = new CommandHandler(settings.serverZone(), settings.autoRegisterCustomers());
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.stores = new LeadStores(context, settings.idempotencyRetention());
    // Before anything is sent: a send begins the thread's transaction, which a rebuild of the
    // indexes longer than the transaction timeout would see aborted.
    long started = System.nanoTime();
    long indexed = stores.ensureIndexes();
    if (indexed > 0) {
      log.info("Task {}: indexed {} leads in {} ms", context.taskId(), indexed, (System.nanoTime() - started) / 1_000_000);
    }
    stores.touchChangelogs(context.currentSystemTimeMs());
    commitSoon();
    settings.autoCloseAfter().ifPresent(age ->
        context.schedule(settings.autoCloseInterval(), PunctuationType.WALL_CLOCK_TIME, now -> autoClose(now, age)));
  }

  @Override
  public void process(Record<String, ReceivedCommand> record) {
    if (!failures.isEmpty() && failures.givenUp(origin())) {
      // Thrown before any write: the dead-letter path, where nothing of the command is kept. The
      // count stays: if another command's failure aborts this transaction too, this one comes
      // back, and goes the same way at once.
      throw new IllegalStateException(origin() + " failed part-way " + FailedApplications.ATTEMPTS
          + " times, each time aborted whole; sent to the dead-letter topic instead of being applied again");
    }
    ReceivedCommand command = record.value();
    // Everything this command writes is stamped with the time LMS applied it, not the record's
    // own timestamp, which a producer may set to any time (an import of last year's leads): the
    // idempotency window and the topics' retention count from when a command took effect, so a
    // command stamped in the past is still remembered, and its events still kept, for the full
    // retention.
    long now = context.currentSystemTimeMs();
    Record<String, SpecificRecord> base =
        record.withKey(command.orgId()).withValue((SpecificRecord) null).withTimestamp(now);
    Instant processedAt = Instant.ofEpochMilli(now);
    LeadCommand decoded = null;
    Rejection unreadable = null;
    try {
      decoded = command.command(Instant.ofEpochMilli(record.timestamp()));
    } catch (Rejection e) {
      // JSON whose body (or leadId, kind, ...) the API would refuse: the same codes, as a result.
      unreadable = e;
    }
    // A command that cannot be read has no payload to compare: it counts as the same request.
    ByteBuffer fingerprint = decoded == null ? null : RequestFingerprint.of(decoded.getPayload());
    Optional<CommandResult> first = stores.result(command.orgId(), command.commandId(), now);
    if (first.isPresent()) {
      CommandResult answer = fingerprint != null && RequestFingerprint.differ(first.get().getRequestFingerprint(), fingerprint)
          // Not a retry but another request under a used key: refused, and neither applied nor remembered.
          ? handler.reusedKey(command.commandId(), command.orgId(), processedAt)
          // A retry: answer it again (its caller may be waiting), change nothing.
          : first.get();
      forward(TopologyNames.RESULTS_SINK, base.withValue(answer));
      return;
    }
    Decision decision = decoded != null
        ? handler.handle(record.key(), decoded, stores, processedAt)
        : handler.reject(record.key(), command.commandId(), command.orgId(), unreadable, processedAt);
    decision.result().ifPresent(result -> result.setRequestFingerprint(fingerprint));
    applyWhole(decision, base, null);
  }

  /** Where the command being processed came from: its topic, partition and offset. */
  private String origin() {
    return context.recordMetadata()
        .map(source -> "the command at " + source.topic() + "-" + source.partition() + "@" + source.offset())
        .orElse("a command");
  }

  /**
   * Applies the decision whole or not at all. A failure before its first write takes the
   * dead-letter path (see {@link LmsProcessingExceptionHandler}); a failure after it becomes a
   * {@link HalfAppliedCommandException}, which aborts the transaction.
   *
   * @param sweep what the auto-close sweep is closing, or null for the command being processed
   */
  private void applyWhole(Decision decision, Record<String, SpecificRecord> base, String sweep) {
    applying = decision;
    writesBegun = 0;
    try {
      apply(decision, base);
    } catch (TaskMigratedException | TaskCorruptedException e) {
      // Kafka Streams' own: it closes the task dirty, which drops the writes as well.
      throw e;
    } catch (RuntimeException e) {
      if (writesBegun == 0) {
        throw e;
      }
      String origin = sweep != null ? sweep : origin();
      if (!(e instanceof RetriableException)) {
        failures.failed(origin);
      }
      throw new HalfAppliedCommandException(origin, writesBegun, e);
    } finally {
      applying = null;
    }
    if (!failures.isEmpty()) {
      failures.forget(sweep != null ? sweep : origin());
    }
  }

  private void apply(Decision decision, Record<String, SpecificRecord> base) {
    decision.sequences().ifPresent(sequences -> {
      beginWrite();
      stores.put(sequences);
    });
    decision.newCustomer().ifPresent(customer -> {
      beginWrite();
      stores.put(customer);
    });
    for (Reason reason : decision.newReasons()) {
      beginWrite();
      stores.put(reason);
      forward(TopologyNames.REASONS_SINK,
          base.withKey(StoreKeys.leadTopicKey(reason.getOrgId(), reason.getId())).withValue(reason));
    }
    decision.newSubStatus().ifPresent(subStatus -> {
      beginWrite();
      stores.put(subStatus);
      forward(TopologyNames.SUB_STATUSES_SINK, base
          .withKey(StoreKeys.subStatus(subStatus.getOrgId(), subStatus.getStatus(), subStatus.getSubStatus()))
          .withValue(subStatus));
    });
    decision.lead().ifPresent(lead -> {
      beginWrite();
      if (decision.createsLead()) {
        stores.putCreated(lead);
      } else {
        stores.put(lead);
      }
      forward(TopologyNames.LEADS_SINK,
          base.withKey(StoreKeys.leadTopicKey(lead.getOrgId(), lead.getId())).withValue(lead));
    });
    for (LeadEvent event : decision.events()) {
      forward(TopologyNames.EVENTS_SINK, base.withValue(event));
    }
    decision.result().ifPresent(result -> {
      beginWrite();
      stores.putResult(result, base.timestamp());
      forward(TopologyNames.RESULTS_SINK, base.withValue(result));
    });
  }

  /** Called before each write: a store put, or a record sent. */
  private void beginWrite() {
    fault.beforeWrite(applying, writesBegun + 1);
    writesBegun++;
  }

  private void autoClose(long nowMillis, Duration age) {
    Instant now = Instant.ofEpochMilli(nowMillis);
    Instant cutoff = now.minus(age);
    List<KeyValue<String, Long>> overdue = new ArrayList<>();
    try (KeyValueIterator<String, OrgSequences> orgs = stores.orgs().all()) {
      while (orgs.hasNext() && overdue.size() < AUTO_CLOSE_BATCH) {
        String org = orgs.next().key;
        try (KeyValueIterator<String, EncodedSummary> due = stores.dueIndex()
            .range(StoreKeys.orgPrefix(org), StoreKeys.dueUpTo(org, cutoff.toEpochMilli()))) {
          while (due.hasNext() && overdue.size() < AUTO_CLOSE_BATCH) {
            overdue.add(KeyValue.pair(org, StoreKeys.leadIdOfDue(due.next().key)));
          }
        }
      }
    }
    int closed = 0;
    for (KeyValue<String, Long> lead : overdue) {
      String sweep = "auto-closing lead " + lead.value + " of org " + lead.key;
      if (!failures.isEmpty() && failures.givenUp(sweep)) {
        // Left open, and logged at each sweep, rather than fail the partition at each sweep.
        log.error("Not {}: it failed part-way {} times, each time aborted whole", sweep, FailedApplications.ATTEMPTS);
        continue;
      }
      Optional<Decision> decision = handler.autoClose(lead.key, lead.value, stores, now, cutoff);
      if (decision.isPresent()) {
        applyWhole(decision.get(), new Record<>(lead.key, null, nowMillis), sweep);
        closed++;
      }
    }
    if (closed > 0) {
      log.info("Auto-closed {} leads whose follow-up was due before {}", closed, cutoff);
    }
  }

  /**
   * Commits what {@link #init} wrote (the tombstones, a rebuild of the indexes) without waiting
   * for a command. Interactive queries read only committed state, and Kafka Streams commits a task
   * only once it has processed a record or run a punctuation: a task that moved to this instance
   * and rebuilt its indexes would otherwise answer searches from empty indexes until its org's next
   * command. One punctuation, which then cancels itself, is enough.
   */
  private void commitSoon() {
    Cancellable[] once = new Cancellable[1];
    once[0] = context.schedule(Duration.ofMillis(1), PunctuationType.WALL_CLOCK_TIME, now -> {
      once[0].cancel();
      context.commit();
    });
  }

  private void forward(String sink, Record<String, ? extends SpecificRecord> record) {
    if (applying != null) {
      beginWrite();
    }
    @SuppressWarnings("unchecked")
    Record<String, SpecificRecord> typed = (Record<String, SpecificRecord>) record;
    context.forward(typed, sink);
  }
}
