package io.lms.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.fuzz.HostileValues;
import io.lms.fuzz.SeedCorpus;
import io.lms.fuzz.SeedCorpus.Seed;
import io.lms.fuzz.SeedEncoder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.avro.generic.IndexedRecord;
import org.junit.jupiter.api.Test;

/**
 * The seeds of {@link CommandFuzzTest}: generated commands through the targets' own readers, so
 * that together they carry every near miss of {@link HostileValues} and the mutations of
 * {@link io.lms.fuzz.ByteMutation}. Rewrite them after a reader changes with
 * {@code mvn -B test -pl streams-app -am -Dtest='*FuzzSeedsTest' -Dlms.fuzz.writeSeeds=true}.
 */
class CommandFuzzSeedsTest {
  @Test
  void arbitraryBytes() {
    SeedCorpus.writeOrCheck(CommandFuzzTest.class, "arbitraryBytesAreDeadLetteredOrAnswered",
        random("seed-", 24, CommandFuzzTest::arbitraryBytes));
  }

  @Test
  void hostileCommandsCarryEveryNearMiss() {
    List<Seed> seeds = random("seed-", 40, CommandFuzzTest::hostileCommands);
    Set<String> texts = new HashSet<>();
    for (Seed seed : seeds) {
      CommandFuzzTest.keyedHostileCommands(new SeedEncoder(seedNumber(seed))).forEach(keyed -> texts(keyed.command(), texts));
    }
    List<String> missing = HostileValues.NEAR_MISSES.stream().filter(text -> !texts.contains(text))
        .map(text -> text.codePoints().mapToObj(c -> String.format("U+%04X", c)).toList().toString()).toList();
    assertThat(missing).as("near misses in no seed").isEmpty();
    SeedCorpus.writeOrCheck(CommandFuzzTest.class, "hostileCommandsGetExactlyOneResult", seeds);
  }

  @Test
  void mutatedCommands() {
    SeedCorpus.writeOrCheck(CommandFuzzTest.class, "mutatedCommandsAreDeadLetteredOrAnswered",
        random("seed-", 48, CommandFuzzTest::mutatedCommands));
  }

  private static <T> List<Seed> random(String prefix, int count, Function<com.code_intelligence.jazzer.api.FuzzedDataProvider, T> reader) {
    List<Seed> seeds = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      seeds.add(SeedCorpus.seed(String.format("%s%03d", prefix, i), new SeedEncoder(i), reader));
    }
    return seeds;
  }

  private static long seedNumber(Seed seed) {
    return Long.parseLong(seed.name().substring(seed.name().lastIndexOf('-') + 1));
  }

  /** Every text a command holds, in fields, maps and lists at any depth. */
  private static void texts(Object value, Set<String> into) {
    if (value instanceof CharSequence text) {
      into.add(text.toString());
    } else if (value instanceof IndexedRecord record) {
      for (int i = 0; i < record.getSchema().getFields().size(); i++) {
        texts(record.get(i), into);
      }
    } else if (value instanceof Map<?, ?> map) {
      map.forEach((key, entry) -> {
        texts(key, into);
        texts(entry, into);
      });
    } else if (value instanceof Collection<?> items) {
      items.forEach(item -> texts(item, into));
    }
  }
}
