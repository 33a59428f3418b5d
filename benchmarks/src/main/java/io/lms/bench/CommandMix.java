package io.lms.bench;

import io.lms.schema.ChangeStatus;
import io.lms.schema.ConfigureReasons;
import io.lms.schema.CreateLead;
import io.lms.schema.CreateSubStatus;
import io.lms.schema.FollowUpInput;
import io.lms.schema.LeadCommand;
import io.lms.schema.LeadStatus;
import io.lms.schema.RecordFollowUp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A realistic stream of lead commands over many orgs, and a deterministic function of its seed:
 * the same seed and org count give the same commands, byte for byte, on every machine.
 *
 * <p>Each org starts with a {@link ConfigureReasons} (reasons 1 to 5) and a {@link CreateSubStatus}
 * (ON_HOLD / "Awaiting callback"). After that, per command: about 60% {@link CreateLead} (a customer
 * by email, an existing customer's email again for 30% of them), 25% {@link ChangeStatus} of an
 * existing lead with a valid reason, 15% {@link RecordFollowUp} with a next follow-up. Leads worked
 * on are mostly recent ones (80% among the org's last 500), as in a sales team's day.
 *
 * <p>The mix keeps a model of each lead's status, so it knows which commands the LMS rules will
 * reject: 4% of the status changes ask for the status the lead already has (92002), and a status
 * change that finds only closed leads to pick from goes to a closed one (92024). Everything else is
 * meant to be accepted; {@link #counts()} says how many rejections to expect.
 */
final class CommandMix {
  /** The issue time of the first command; later ones follow 1 to 20 ms apart. */
  static final Instant START = Instant.parse("2026-01-05T03:30:00Z");

  static final List<String> REASONS =
      List.of("Price too high", "Bought elsewhere", "Not reachable", "Budget approved", "Demo done");
  static final String SUB_STATUS = "Awaiting callback";

  private static final double CREATE = 0.60;
  private static final double CHANGE_STATUS = 0.85; // cumulative: 25% after the 60%
  private static final double SAME_STATUS = 0.04;
  private static final double REPEATED_CUSTOMER = 0.30;
  private static final int RECENT_LEADS = 500;
  private static final int PICK_ATTEMPTS = 8;
  // The LMS limits (Limits.MAX_STATUS_LOG_PER_LEAD, MAX_FOLLOW_UPS_PER_LEAD): stay clear of them.
  private static final int HISTORY_CAP = 190;

  private static final ZoneOffset CALLER_OFFSET = ZoneOffset.ofHoursMinutes(5, 30);
  private static final DateTimeFormatter CALLER_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");

  private static final LeadStatus[] STATUSES = LeadStatus.values();
  private static final String[] SOURCES = {"store", "web", "crm-import", "call-centre", "events"};
  private static final String[] PRODUCTS = {
    "Samsung Galaxy S25 Ultra 512 GB Titanium Grey", "Apple iPhone 17 Pro 256 GB Desert Titanium",
    "Sony Bravia 65 inch 4K Google TV (K-65XR70)", "LG 8 kg 5 Star Inverter Front Load Washer",
    "Dyson V15 Detect Absolute cordless vacuum", "Lenovo ThinkPad X1 Carbon Gen 13, 32 GB RAM",
  };
  private static final String[] CATEGORIES = {
    "Mobiles & Tablets", "Televisions & Home Theatre", "Large Appliances", "Home Care", "Laptops"
  };
  private static final String[] BUDGETS = {"10000-25000 INR", "25000-50000 INR", "50000-75000 INR", "75000+ INR"};
  private static final String[] CONTACT = {
    "WhatsApp, weekday evenings after 6 pm", "Phone call, weekend mornings", "E-mail only, no calls please",
  };
  private static final String[] NOTES = {
    "Customer compared prices with two online sellers and asked whether the store can match the"
        + " lower one; wants exchange value for an old device and a no-cost EMI option.",
    "Visited with family, liked the demo unit, asked for delivery and installation on a weekend;"
        + " will confirm after checking the space at home. Interested in extended warranty.",
    "Came in after the newsletter offer, asked about stock in the other colour and the bank"
        + " cashback; prefers pick-up from the store near the office next week.",
  };
  private static final String[] ACCESSORIES = {
    "Screen guard, back cover, 45 W charger and the earbuds bundle",
    "Wall mount, soundbar, extended warranty for three years",
    "Stand kit, descaling service plan, installation by the brand",
  };
  private static final String[] VISIT_SUMMARIES = {
    "Second visit this month; spoke to the floor manager about the festive bundle and asked for a"
        + " callback once the new stock arrives.",
    "First visit; came from the mall entrance promotion, filled the interest card, prefers to"
        + " decide together with the spouse over the weekend.",
  };
  private static final String[] FOLLOW_UP_NOTES = {
    "Called, customer asked to call back after salary day",
    "Shared the quotation on WhatsApp, awaiting confirmation",
    "Customer visited again, wants to see the demo of the other model",
    "No answer, left a voice message",
  };

  private final SplittableRandom random;
  private final Org[] orgs;
  private long sequence;
  private Instant clock = START;
  private final Counts counts = new Counts();

  CommandMix(long seed, int orgCount) {
    if (orgCount < 1) {
      throw new IllegalArgumentException("at least one org");
    }
    this.random = new SplittableRandom(seed);
    this.orgs = new Org[orgCount];
    for (int i = 0; i < orgCount; i++) {
      orgs[i] = new Org(String.format("org-%04d", i + 1), 15_000_000L + 100L * i);
    }
  }

  /** How many commands of each kind were made so far, and how many the rules will reject. */
  Counts counts() {
    return counts;
  }

  LeadCommand next() {
    Org org = orgs[random.nextInt(orgs.length)];
    clock = clock.plusMillis(1 + random.nextInt(20));
    Object payload;
    if (org.setupStep == 0) {
      org.setupStep = 1;
      counts.configureReasons++;
      payload = new ConfigureReasons(List.copyOf(REASONS));
    } else if (org.setupStep == 1) {
      org.setupStep = 2;
      counts.createSubStatus++;
      payload = new CreateSubStatus(LeadStatus.ON_HOLD.name(), SUB_STATUS);
    } else {
      double kind = random.nextDouble();
      if (org.leads == 0 || kind < CREATE) {
        payload = createLead(org);
      } else if (kind < CHANGE_STATUS) {
        payload = changeStatus(org);
      } else {
        payload = recordFollowUp(org);
      }
    }
    long actor = org.firstStaffId + random.nextInt(10);
    // Unique by construction (the sequence), random-looking like the UUIDs callers send.
    String commandId = new UUID(++sequence, random.nextLong()).toString();
    return new LeadCommand(commandId, org.id, actor, clock, payload);
  }

  private CreateLead createLead(Org org) {
    counts.createLead++;
    String email;
    if (org.customers > 0 && random.nextDouble() < REPEATED_CUSTOMER) {
      int customer = 1 + random.nextInt(org.customers);
      // Now and then in other case: LMS normalises emails, so it is the same customer.
      email = random.nextInt(10) == 0 ? "Customer." + customer + "@Example.COM" : "customer." + customer + "@example.com";
    } else {
      email = "customer." + (++org.customers) + "@example.com";
    }
    boolean onHold = random.nextInt(10) == 0;
    String nextFollowUp = random.nextInt(5) == 0 ? null : callerTime(clock.plus(days(1, 7)));
    var extended = new LinkedHashMap<String, String>();
    extended.put("source", pick(SOURCES));
    extended.put("campaign", "winter-sale-2026-w" + (1 + random.nextInt(12)));
    extended.put("store_code", String.format("ST-%04d", random.nextInt(600)));
    extended.put("product_name", pick(PRODUCTS));
    extended.put("product_category", pick(CATEGORIES));
    extended.put("budget_range", pick(BUDGETS));
    extended.put("preferred_contact", pick(CONTACT));
    extended.put("trial_status", random.nextBoolean() ? "Not Done" : "Done");
    extended.put("customer_note", pick(NOTES));
    extended.put("accessories_interest", pick(ACCESSORIES));
    extended.put("visit_summary", pick(VISIT_SUMMARIES));
    extended.put("utm_source", random.nextBoolean() ? "google" : "newsletter");
    extended.put("utm_medium", random.nextBoolean() ? "cpc" : "email");
    CreateLead.Builder lead = CreateLead.newBuilder()
        .setType(random.nextInt(5) == 0 ? "BRAND" : "SKU")
        .setLeadFor(String.format("sku-%06d", random.nextInt(20_000)))
        .setIdType("EMAIL")
        .setIdentifier(email)
        .setNextFollowUp(nextFollowUp)
        .setOwner(random.nextBoolean() ? "rm." + random.nextInt(50) : null)
        .setExtendedFields(extended);
    if (onHold) {
      lead.setStatus(LeadStatus.ON_HOLD.name()).setSubStatus(random.nextBoolean() ? SUB_STATUS : null);
    }
    int followUps = 0;
    if (random.nextInt(5) == 0) {
      followUps = 1;
      lead.setFollowUpDetails(List.of(new FollowUpInput(
          null, callerTime(clock.minus(Duration.ofHours(2))), org.firstStaffId, "Walk-in enquiry at the store",
          nextFollowUp)));
    }
    org.addLead(onHold ? LeadStatus.ON_HOLD : LeadStatus.OPEN, followUps);
    return lead.build();
  }

  private ChangeStatus changeStatus(Org org) {
    counts.changeStatus++;
    int lead = pickLead(org, true);
    LeadStatus current = org.status(lead);
    LeadStatus next;
    if (current == LeadStatus.WON || current == LeadStatus.DELETED) {
      // Every lead the picks found was closed: the rules reject this one.
      counts.expectedClosedLead++;
      next = LeadStatus.LOST;
    } else if (random.nextDouble() < SAME_STATUS) {
      counts.expectedDuplicateStatus++;
      next = current;
    } else {
      next = nextStatus(current);
      org.setStatus(lead, next);
      org.statusLogs[lead]++;
    }
    String subStatus = next == LeadStatus.ON_HOLD && random.nextBoolean() ? SUB_STATUS : null;
    long reasonId = 1 + random.nextInt(REASONS.size());
    return new ChangeStatus((long) lead + 1, next.name(), subStatus, reasonId, null, null);
  }

  private RecordFollowUp recordFollowUp(Org org) {
    counts.recordFollowUp++;
    int lead = pickLead(org, false);
    org.followUps[lead]++;
    String next = random.nextInt(10) == 0 ? null : callerTime(clock.plus(days(1, 14)));
    return new RecordFollowUp(
        (long) lead + 1, callerTime(clock), org.firstStaffId + random.nextInt(10), null, next,
        pick(FOLLOW_UP_NOTES), null);
  }

  /** A lead index (id - 1), mostly a recent one; for a status change, preferably one still open to it. */
  private int pickLead(Org org, boolean forStatusChange) {
    int lead = 0;
    for (int attempt = 0; attempt < PICK_ATTEMPTS; attempt++) {
      int recent = Math.min(org.leads, RECENT_LEADS);
      lead = random.nextInt(5) != 0 ? org.leads - 1 - random.nextInt(recent) : random.nextInt(org.leads);
      boolean full = forStatusChange ? org.statusLogs[lead] >= HISTORY_CAP : org.followUps[lead] >= HISTORY_CAP;
      LeadStatus status = org.status(lead);
      boolean closed = status == LeadStatus.WON || status == LeadStatus.DELETED;
      if (!full && !(forStatusChange && closed)) {
        return lead;
      }
    }
    return lead;
  }

  private LeadStatus nextStatus(LeadStatus current) {
    double p = random.nextDouble();
    return switch (current) {
      case OPEN -> p < 0.45 ? LeadStatus.ON_HOLD : p < 0.70 ? LeadStatus.LOST : p < 0.95 ? LeadStatus.WON : LeadStatus.DELETED;
      case ON_HOLD -> p < 0.40 ? LeadStatus.OPEN : p < 0.70 ? LeadStatus.LOST : LeadStatus.WON;
      default -> LeadStatus.OPEN; // LOST leads are reopened
    };
  }

  private Duration days(int min, int max) {
    return Duration.ofDays(min + random.nextInt(max - min + 1)).plusMinutes(random.nextInt(24 * 60));
  }

  private String pick(String[] values) {
    return values[random.nextInt(values.length)];
  }

  private static String callerTime(Instant instant) {
    return CALLER_TIME.format(instant.atOffset(CALLER_OFFSET));
  }

  /** Commands made so far, by kind. */
  static final class Counts {
    long configureReasons;
    long createSubStatus;
    long createLead;
    long changeStatus;
    long recordFollowUp;
    long expectedDuplicateStatus;
    long expectedClosedLead;

    long total() {
      return configureReasons + createSubStatus + createLead + changeStatus + recordFollowUp;
    }

    long expectedRejections() {
      return expectedDuplicateStatus + expectedClosedLead;
    }

    Map<String, Long> asMap() {
      var map = new LinkedHashMap<String, Long>();
      map.put("ConfigureReasons", configureReasons);
      map.put("CreateSubStatus", createSubStatus);
      map.put("CreateLead", createLead);
      map.put("ChangeStatus", changeStatus);
      map.put("RecordFollowUp", recordFollowUp);
      return map;
    }
  }

  /** What the mix remembers of one org: enough to make commands the rules accept. */
  private static final class Org {
    final String id;
    final long firstStaffId;
    int setupStep;
    int customers;
    int leads;
    byte[] statuses = new byte[64];
    short[] statusLogs = new short[64];
    short[] followUps = new short[64];

    Org(String id, long firstStaffId) {
      this.id = id;
      this.firstStaffId = firstStaffId;
    }

    void addLead(LeadStatus status, int initialFollowUps) {
      if (leads == statuses.length) {
        int size = leads * 2;
        statuses = Arrays.copyOf(statuses, size);
        statusLogs = Arrays.copyOf(statusLogs, size);
        followUps = Arrays.copyOf(followUps, size);
      }
      statuses[leads] = (byte) status.ordinal();
      followUps[leads] = (short) initialFollowUps;
      leads++;
    }

    LeadStatus status(int lead) {
      return STATUSES[statuses[lead]];
    }

    void setStatus(int lead, LeadStatus status) {
      statuses[lead] = (byte) status.ordinal();
    }
  }
}
