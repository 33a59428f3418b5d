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
import org.apache.kafka.streams.KeyValue;
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
  private ProcessorContext<String, SpecificRecord> context;
  private LeadStores stores;

  LeadCommandProcessor(TopologySettings settings) {
    this.settings = settings;
    this.handler = new CommandHandler(settings.serverZone(), settings.autoRegisterCustomers());
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.stores = new LeadStores(context, settings.idempotencyRetention());
    stores.touchChangelogs(context.currentSystemTimeMs());
    long started = System.nanoTime();
    long indexed = stores.ensureIndexes();
    if (indexed > 0) {
      log.info("Task {}: indexed {} leads in {} ms", context.taskId(), indexed, (System.nanoTime() - started) / 1_000_000);
    }
    commitSoon();
    settings.autoCloseAfter().ifPresent(age ->
        context.schedule(settings.autoCloseInterval(), PunctuationType.WALL_CLOCK_TIME, now -> autoClose(now, age)));
  }

  @Override
  public void process(Record<String, ReceivedCommand> record) {
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
    apply(decision, base);
  }

  private void apply(Decision decision, Record<String, SpecificRecord> base) {
    decision.sequences().ifPresent(stores::put);
    decision.newCustomer().ifPresent(stores::put);
    for (Reason reason : decision.newReasons()) {
      stores.put(reason);
      forward(TopologyNames.REASONS_SINK,
          base.withKey(StoreKeys.leadTopicKey(reason.getOrgId(), reason.getId())).withValue(reason));
    }
    decision.newSubStatus().ifPresent(subStatus -> {
      stores.put(subStatus);
      forward(TopologyNames.SUB_STATUSES_SINK, base
          .withKey(StoreKeys.subStatus(subStatus.getOrgId(), subStatus.getStatus(), subStatus.getSubStatus()))
          .withValue(subStatus));
    });
    decision.lead().ifPresent(lead -> {
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
      stores.putResult(result, base.timestamp());
      forward(TopologyNames.RESULTS_SINK, base.withValue(result));
    });
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
      Optional<Decision> decision = handler.autoClose(lead.key, lead.value, stores, now, cutoff);
      if (decision.isPresent()) {
        apply(decision.get(), new Record<>(lead.key, null, nowMillis));
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
    @SuppressWarnings("unchecked")
    Record<String, SpecificRecord> typed = (Record<String, SpecificRecord>) record;
    context.forward(typed, sink);
  }
}
