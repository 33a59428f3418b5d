package io.lms.http;

import io.lms.fuzz.SeedCorpus;
import io.lms.fuzz.SeedCorpus.Seed;
import io.lms.fuzz.SeedEncoder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The seeds of {@link HttpFuzzTest}, written through the targets' own readers: generated bodies
 * and mutated samples on every write, every odd number in a query, every odd id on the lead
 * routes. Rewrite them after a reader changes with
 * {@code mvn -B test -pl streams-app -am -Dtest='*FuzzSeedsTest' -Dlms.fuzz.writeSeeds=true}.
 */
class HttpFuzzSeedsTest {
  @Test
  void bodies() {
    List<Seed> seeds = new ArrayList<>();
    for (int i = 0; i < 48; i++) {
      seeds.add(SeedCorpus.seed(String.format("seed-%03d", i), new SeedEncoder(i), HttpFuzzTest::bodyOnAWrite));
    }
    SeedCorpus.writeOrCheck(HttpFuzzTest.class, "anyBodyOnAnyWriteGetsAWellFormedAnswer", seeds);
  }

  @Test
  void queries() {
    List<Seed> seeds = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      seeds.add(SeedCorpus.seed(String.format("seed-%03d", i), new SeedEncoder(i), HttpFuzzTest::queryOnAList));
    }
    // Each odd number once, under a name that takes numbers: list, pairs (kind 0), one pair, a known name, a number.
    for (int i = 0; i < HttpFuzzTest.NUMBERS.size(); i++) {
      List<Long> script = List.of((long) i % 2, 0L, 1L, 0L, (long) (i % HttpFuzzTest.QUERY_NAMES.size()), 1L, (long) i);
      seeds.add(SeedCorpus.seed(String.format("seed-number-%03d", i), new SeedEncoder(i, script),
          HttpFuzzTest::queryOnAList));
    }
    SeedCorpus.writeOrCheck(HttpFuzzTest.class, "anyQueryOnTheListsGetsAWellFormedAnswer", seeds);
  }

  @Test
  void leadIds() {
    List<Seed> seeds = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      seeds.add(SeedCorpus.seed(String.format("seed-%03d", i), new SeedEncoder(i), HttpFuzzTest::idOnALeadRoute));
    }
    // Each odd id once, on the routes and methods in turn: route, method, kind 0 (the list), the id.
    for (int i = 0; i < HttpFuzzTest.ODD_IDS.size(); i++) {
      List<Long> script = List.of((long) i % 5, (long) (i * 3) % 5, 0L, (long) i);
      seeds.add(SeedCorpus.seed(String.format("seed-odd-id-%03d", i), new SeedEncoder(i, script),
          HttpFuzzTest::idOnALeadRoute));
    }
    // The ids that exist, acme's (1-3) and globex's only (4, 5), with GET on every route.
    for (int route = 0; route < 5; route++) {
      for (long id = 1; id <= 5; id++) {
        List<Long> script = List.of((long) route, 0L, 4L, id);
        seeds.add(SeedCorpus.seed(String.format("seed-existing-id-%d-%d", route, id), new SeedEncoder(id, script),
            HttpFuzzTest::idOnALeadRoute));
      }
    }
    SeedCorpus.writeOrCheck(HttpFuzzTest.class, "anyLeadIdOnAnyLeadRouteGetsAWellFormedAnswer", seeds);
  }
}
