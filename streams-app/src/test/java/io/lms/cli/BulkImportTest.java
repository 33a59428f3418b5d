package io.lms.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lms.domain.CommandIds;
import io.lms.domain.Rejection;
import io.lms.schema.Accepted;
import io.lms.schema.ApiError;
import io.lms.schema.ChangeStatus;
import io.lms.schema.CommandResult;
import io.lms.schema.ConfigureReasons;
import io.lms.schema.CreateLead;
import io.lms.schema.CreateSubStatus;
import io.lms.schema.LeadCommand;
import io.lms.schema.RecordFollowUp;
import io.lms.schema.Rejected;
import io.lms.schema.UpdateLead;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** JSON lines to commands, and the import's count of outcomes, with no broker: a stub answers. */
class BulkImportTest {
  private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private static BulkImport importer(ImportKind kind, io.lms.command.CommandSubmitter submitter, int maxInFlight) {
    return new BulkImport(submitter, kind, "acme", 7L, "leads.jsonl", CLOCK, Duration.ofSeconds(5), maxInFlight);
  }

  private static BulkImport importer(ImportKind kind) {
    return importer(kind, (command, timeout) -> new CompletableFuture<>(), 10);
  }

  private static int codeOf(Runnable mapping) {
    try {
      mapping.run();
    } catch (Rejection e) {
      return e.errors().get(0).getCode();
    }
    throw new AssertionError("expected a Rejection");
  }

  private static CommandResult accepted(LeadCommand command) {
    return new CommandResult(command.getCommandId(), command.getOrgId(), NOW, new Accepted(null, List.of(), null), null);
  }

  private static CommandResult rejected(LeadCommand command, int code, String message) {
    return new CommandResult(command.getCommandId(), command.getOrgId(), NOW,
        new Rejected(List.of(new ApiError(code, message))), null);
  }

  // ---- one line to one command

  @Test
  void aCreateLeadLineBecomesACommandOfTheOrgAndStaffWithItsLineInTheId() {
    LeadCommand command = importer(ImportKind.CREATE_LEAD).toCommand(3,
        "{\"leadFor\":\"sku-1\",\"idType\":\"EMAIL\",\"identifier\":\"tom@example.com\",\"status\":\"OPEN\","
            + "\"extendedFields\":{\"trial_status\":\"Not Done\"}}");

    assertThat(command.getCommandId()).isEqualTo("leads.jsonl:3");
    assertThat(command.getOrgId()).isEqualTo("acme");
    assertThat(command.getActorId()).isEqualTo(7L);
    assertThat(command.getIssuedAt()).isEqualTo(NOW);
    assertThat(command.getPayload()).isInstanceOfSatisfying(CreateLead.class, create -> {
      assertThat(create.getLeadFor()).isEqualTo("sku-1");
      assertThat(create.getIdentifier()).isEqualTo("tom@example.com");
      assertThat(create.getExtendedFields()).containsEntry("trial_status", "Not Done");
    });
  }

  @Test
  void theSameLineOfTheSameFileAlwaysGetsTheSameCommandId() {
    String line = "{\"leadFor\":\"sku-1\"}";

    assertThat(importer(ImportKind.CREATE_LEAD).toCommand(9, line).getCommandId())
        .isEqualTo(importer(ImportKind.CREATE_LEAD).toCommand(9, line).getCommandId())
        .isEqualTo(BulkImport.commandId("leads.jsonl", 9));
  }

  @Test
  void writesToOneLeadTakeItsIdFromTheLine() {
    assertThat(importer(ImportKind.CHANGE_STATUS).toCommand(1,
        "{\"leadId\":12,\"status\":\"ON_HOLD\",\"reasonId\":2}").getPayload())
        .isEqualTo(new ChangeStatus(12L, "ON_HOLD", null, 2L, null, null));
    assertThat(importer(ImportKind.UPDATE_LEAD).toCommand(1, "{\"owner\":\"jane\",\"leadId\":5}").getPayload())
        .isEqualTo(new UpdateLead(5L, null, "jane"));
    assertThat(importer(ImportKind.FOLLOW_UP).toCommand(1,
        "{\"leadId\":5,\"followedUpOn\":\"2026-11-27T10:00:00Z\",\"notes\":\"called\"}").getPayload())
        .isInstanceOfSatisfying(RecordFollowUp.class, f -> {
          assertThat(f.getLeadId()).isEqualTo(5L);
          assertThat(f.getNotes()).isEqualTo("called");
        });
  }

  @Test
  void orgLevelWritesAreTheirApiBodies() {
    assertThat(importer(ImportKind.REASONS).toCommand(1, "[{\"reason\":\"Bought elsewhere\"}]").getPayload())
        .isEqualTo(new ConfigureReasons(List.of("Bought elsewhere")));
    assertThat(importer(ImportKind.SUB_STATUS).toCommand(1, "{\"status\":\"ON_HOLD\",\"subStatus\":\"Call later\"}")
        .getPayload()).isEqualTo(new CreateSubStatus("ON_HOLD", "Call later"));
  }

  @Test
  void linesThatAreNoValidBodyAreRefusedWithTheApiCode() {
    BulkImport leads = importer(ImportKind.CREATE_LEAD);
    BulkImport statuses = importer(ImportKind.CHANGE_STATUS);

    assertThat(codeOf(() -> leads.toCommand(1, "{\"leadFor\":"))).as("not JSON").isEqualTo(93001);
    assertThat(codeOf(() -> leads.toCommand(1, "{\"leadFor\":\"a\"} {}"))).as("trailing data").isEqualTo(93001);
    assertThat(codeOf(() -> leads.toCommand(1, "{\"leadFor\":\"a\",\"orgId\":\"other\"}"))).as("unknown field")
        .isEqualTo(93002);
    assertThat(codeOf(() -> leads.toCommand(1, "{\"userId\":\"12\"}"))).as("wrong type").isEqualTo(93003);
    assertThat(codeOf(() -> statuses.toCommand(1, "{\"status\":\"WON\"}"))).as("no leadId").isEqualTo(92010);
    assertThat(codeOf(() -> statuses.toCommand(1, "{\"leadId\":\"12\",\"status\":\"WON\"}"))).isEqualTo(93003);
    assertThat(codeOf(() -> statuses.toCommand(1, "{\"leadId\":0,\"status\":\"WON\"}"))).isEqualTo(93003);
    assertThat(codeOf(() -> statuses.toCommand(1, "[1]"))).isEqualTo(93003);
    assertThat(codeOf(() -> statuses.toCommand(1, "{\"leadId\":1,\"leadId\":2}"))).as("duplicate key").isEqualTo(93001);
    assertThat(codeOf(() -> leads.toCommand(1, "\"" + "x".repeat(BulkImport.MAX_LINE_BYTES) + "\"")))
        .isEqualTo(93016);
  }

  @Test
  void idPrefixesFromFileNamesKeepToTheIdempotencyKeyAlphabet() {
    assertThat(BulkImport.idPrefixOf("leads 2026 (1).jsonl")).isEqualTo("leads_2026__1_.jsonl");
    assertThat(BulkImport.idPrefixOf("x".repeat(300))).hasSize(CommandIds.MAX_LENGTH - 20);
  }

  // ---- a whole file

  @Test
  void countsAcceptedRejectedMalformedAndBlankLinesAndSendsOnlyValidOnes() throws Exception {
    List<LeadCommand> sent = new CopyOnWriteArrayList<>();
    var importer = importer(ImportKind.CREATE_LEAD, (command, timeout) -> {
      sent.add(command);
      CreateLead create = (CreateLead) command.getPayload();
      return CompletableFuture.completedFuture("MAYBE".equals(create.getStatus())
          ? rejected(command, 92003, "Invalid Lead Status MAYBE")
          : accepted(command));
    }, 10);
    String file = String.join("\n",
        "{\"leadFor\":\"sku-1\"}",
        "{\"leadFor\":\"sku-2\",\"status\":\"MAYBE\"}",
        "",
        "{not json",
        "{\"leadFor\":\"sku-3\"}",
        "{\"leadFor\":\"sku-4\",\"status\":\"MAYBE\"}",
        "{\"leadFor\":\"sku-5\",\"colour\":\"red\"}");
    var tally = new ImportTally();
    var notAccepted = new ArrayList<Long>();

    importer.run(new BufferedReader(new StringReader(file)), tally, (line, text) -> notAccepted.add(line));

    assertThat(sent).extracting(LeadCommand::getCommandId)
        .containsExactly("leads.jsonl:1", "leads.jsonl:2", "leads.jsonl:5", "leads.jsonl:6");
    assertThat(tally.counts()).isEqualTo(new ImportTally.Counts(7, 1, 4, 2, 2, 2, 0));
    assertThat(tally.rejectedByCode()).containsOnlyKeys(92003);
    assertThat(tally.rejectedByCode().get(92003).firstLines()).containsExactly(2L, 6L);
    assertThat(tally.malformedLines()).extracting(ImportTally.Malformed::line, ImportTally.Malformed::code)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(4L, 93001), org.assertj.core.groups.Tuple.tuple(7L, 93002));
    assertThat(notAccepted).containsExactlyInAnyOrder(2L, 4L, 6L, 7L);
    assertThat(tally.allAccepted()).isFalse();
    assertThat(tally.anyUnknown()).isFalse();
  }

  @Test
  void aCommandWithoutResultInTimeHasNoOutcomeAndIsNotCountedAsRejected() throws Exception {
    var importer = importer(ImportKind.CREATE_LEAD,
        (command, timeout) -> CompletableFuture.failedFuture(new TimeoutException()), 10);
    var tally = new ImportTally();

    importer.run(new BufferedReader(new StringReader("{\"leadFor\":\"a\"}\n")), tally, BulkImport.RejectedLines.NONE);

    assertThat(tally.counts()).isEqualTo(new ImportTally.Counts(1, 0, 1, 0, 0, 0, 1));
    assertThat(tally.anyUnknown()).isTrue();
  }

  @Test
  void stopsSendingOnceAResultIsOverdueSoThatADeadServiceDoesNotCostATimeoutPerLine() throws Exception {
    List<LeadCommand> sent = new CopyOnWriteArrayList<>();
    var importer = importer(ImportKind.CREATE_LEAD, (command, timeout) -> {
      sent.add(command);
      return CompletableFuture.failedFuture(new TimeoutException());
    }, 1);
    var tally = new ImportTally();
    var text = new StringWriter();

    importer.run(new BufferedReader(new StringReader("{\"leadFor\":\"a\"}\n".repeat(5))), tally,
        BulkImport.RejectedLines.NONE);
    tally.printSummary(new PrintWriter(text, true), Duration.ofSeconds(1));

    assertThat(sent).hasSize(1);
    assertThat(tally.anyUnknown()).isTrue();
    assertThat(text.toString()).contains("before line 2", "Run the same file again");
  }

  @Test
  void neverHasMoreCommandsAwaitingResultsThanAllowed() throws Exception {
    var scheduler = Executors.newSingleThreadScheduledExecutor();
    var waiting = new AtomicInteger();
    var mostWaiting = new AtomicInteger();
    try {
      var importer = importer(ImportKind.CREATE_LEAD, (command, timeout) -> {
        mostWaiting.accumulateAndGet(waiting.incrementAndGet(), Math::max);
        var result = new CompletableFuture<CommandResult>();
        scheduler.schedule(() -> {
          waiting.decrementAndGet();
          result.complete(accepted(command));
        }, 2, TimeUnit.MILLISECONDS);
        return result;
      }, 3);
      var tally = new ImportTally();

      importer.run(new BufferedReader(new StringReader("{\"leadFor\":\"a\"}\n".repeat(30))), tally,
          BulkImport.RejectedLines.NONE);

      assertThat(tally.counts().accepted()).isEqualTo(30);
      assertThat(tally.allAccepted()).isTrue();
      assertThat(mostWaiting.get()).isBetween(1, 3);
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void theSummaryNamesEachErrorCodeWithItsFirstLines() {
    var tally = new ImportTally();
    for (int i = 0; i < 5; i++) {
      tally.lineRead();
    }
    tally.sent();
    tally.accepted();
    tally.sent();
    tally.rejected(2, 92004, "Lead Reason not found with id 9");
    tally.sent();
    tally.rejected(4, 92004, "Lead Reason not found with id 10");
    tally.malformed(3, 93001, "Malformed request body: Unexpected end-of-input");
    tally.blank();
    var text = new StringWriter();

    tally.printSummary(new PrintWriter(text, true), Duration.ofMillis(500));

    assertThat(text.toString())
        .containsPattern("lines read\\s+5\\s+\\(1 blank, skipped\\)")
        .containsPattern("accepted\\s+1\n")
        .containsPattern("rejected\\s+2\n")
        .contains("92004", "Lead Reason not found with id 9", "lines 2, 4")
        .containsPattern("malformed\\s+1\\s+\\(never sent\\)")
        .contains("line 3: 93001 Malformed request body")
        .containsPattern("no outcome\\s+0\n")
        .contains("8 lines/s");
  }

  @Test
  void theProgressLineShowsTheShareOfLinesDone() {
    var tally = new ImportTally();
    var progress = new ImportProgress(new PrintWriter(new StringWriter()), tally, 200, true, Duration.ofHours(1));
    try {
      String line = progress.line(new ImportTally.Counts(100, 0, 100, 90, 5, 5, 0), 2_000_000_000L);

      assertThat(line).startsWith("[" + "#".repeat(15) + "-".repeat(15) + "]")
          .contains(" 50%", "100/200 lines", "50 lines/s", "accepted 90", "rejected 5", "malformed 5");
    } finally {
      progress.close();
    }
  }

  @Test
  void unknownKindsAreRefused() {
    assertThat(ImportKind.ofLabel("change-status")).isEqualTo(ImportKind.CHANGE_STATUS);
    assertThat(ImportKind.ofLabel("CHANGE_STATUS")).isEqualTo(ImportKind.CHANGE_STATUS);
    assertThatThrownBy(() -> ImportKind.ofLabel("delete")).isInstanceOf(IllegalArgumentException.class);
  }
}
