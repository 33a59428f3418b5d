package io.lms.bench;

import io.lms.schema.ConfigureReasons;
import io.lms.schema.CreateLead;
import io.lms.schema.LeadCommand;
import io.lms.schema.RecordFollowUp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The commands that fill one org with {@code leads} leads for the read benchmarks, a function of
 * the lead count, the seed and {@code now}: two reasons, then the leads, created over the day
 * before {@code now} with a status mix (3 OPEN : 2 ON_HOLD : 1 WON : 1 LOST) and a next follow-up
 * within ±30 days of {@code now}; after every fifth lead one earlier lead is followed up, which
 * moves it in lastUpdatedOn order and reschedules it. LMS applies them; whatever it answers is
 * what PostgreSQL is given too, so both sides hold the same leads.
 */
final class LeadLoad {
  static final String ORG = "demo";
  private static final String[] STATUSES = {"OPEN", "OPEN", "OPEN", "ON_HOLD", "ON_HOLD", "WON", "LOST"};

  private final int leads;
  private final long seed;
  private final Instant now;

  LeadLoad(int leads, long seed, Instant now) {
    if (leads < 1) {
      throw new IllegalArgumentException("leads must be positive: " + leads);
    }
    this.leads = leads;
    this.seed = seed;
    this.now = now;
  }

  int leads() {
    return leads;
  }

  /** Hands every command to {@code send}, in order; returns how many there were. */
  int forEach(Consumer<LeadCommand> send) {
    Random random = new Random(seed);
    // Within the topics' retention: a record older than retention.ms (7 days) may be deleted
    // before anyone reads it, and outputs carry their command's timestamp.
    Instant issued = now.minus(Duration.ofDays(1));
    send.accept(new LeadCommand("load-reasons", ORG, 1L, issued,
        new ConfigureReasons(List.of("Item not available in store", "Best price elsewhere"))));
    int commands = 1;
    for (int i = 1; i <= leads; i++) {
      // Leads are created over the last day, so lastUpdatedOn spreads like a real org's.
      Instant at = issued.plusMillis((long) i * Duration.ofHours(20).toMillis() / leads);
      String nextFollowUp = now.plus(Duration.ofMinutes(random.nextInt(60 * 24 * 60) - 60 * 24 * 30))
          .atOffset(ZoneOffset.ofHoursMinutes(5, 30)).toString();
      CreateLead create = CreateLead.newBuilder()
          .setType(i % 10 == 0 ? "BRAND" : "SKU").setLeadFor("sku-" + random.nextInt(5000))
          .setIdType("EMAIL").setIdentifier("customer" + random.nextInt(leads / 3 + 1) + "@example.com")
          .setStatus(STATUSES[random.nextInt(STATUSES.length)]).setNextFollowUp(nextFollowUp)
          .setOwner("staff" + random.nextInt(50))
          .setExtendedFields(Map.of("trial_status", "Not Done", "store", "store-" + random.nextInt(300),
              "channel", "in-store", "campaign", "winter-" + random.nextInt(20)))
          .build();
      send.accept(new LeadCommand("load-" + i, ORG, 1L, at, create));
      commands++;
      if (i % 5 == 0) {
        // Some leads are followed up later: they move in lastUpdatedOn order.
        long lead = 1 + random.nextInt(i);
        send.accept(new LeadCommand("load-f-" + i, ORG, 1L, at.plusSeconds(1),
            new RecordFollowUp(lead, at.atOffset(ZoneOffset.UTC).toString(), null, null,
                now.plus(Duration.ofDays(random.nextInt(30))).atOffset(ZoneOffset.UTC).toString(), "called", null)));
        commands++;
      }
    }
    return commands;
  }
}
