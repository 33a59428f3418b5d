package io.lms.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class KeptWhileRunningTest {
  private final StreamsStateChanges changes = new StreamsStateChanges();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final KeptWhileRunning<String, String> kept = new KeptWhileRunning<>(running::get, changes);
  private final List<String> lookups = new ArrayList<>();
  /** Each lookup answers something new, as a task that moved and came back would. */
  private final Function<String, String> lookUp = key -> {
    lookups.add(key);
    return key + "#" + lookups.size();
  };

  private String get(String key) {
    return kept.get(key, lookUp, answer -> true);
  }

  @Test
  void looksEachKeyUpOnceWhileRunning() {
    String leads = get("leads-3");

    assertThat(get("leads-3")).isEqualTo(leads);
    assertThat(get("leads-4")).isNotEqualTo(leads);
    assertThat(get("leads-3")).isEqualTo(leads);
    assertThat(lookups).containsExactly("leads-3", "leads-4");
  }

  @Test
  void looksUpAgainAfterEveryStateChangeAndKeepsNothingUntilRunningAgain() {
    String before = get("leads-3");

    changes.changed(); // RUNNING -> REBALANCING: the task may be gone, or a standby now
    running.set(false);
    String during = get("leads-3");
    String duringAgain = get("leads-3");
    changes.changed(); // back to RUNNING
    running.set(true);
    String after = get("leads-3");

    assertThat(List.of(before, during, duringAgain, after)).doesNotHaveDuplicates();
    assertThat(get("leads-3")).isEqualTo(after);
    assertThat(lookups).hasSize(4);
  }

  @Test
  void anAnswerLookedUpWhileTheStateChangedIsNotKept() {
    Function<String, String> racing = key -> {
      changes.changed(); // the rebalance starts while the lookup runs
      return lookUp.apply(key);
    };

    String first = kept.get("leads-0", racing, answer -> true);
    String second = kept.get("leads-0", racing, answer -> true);

    assertThat(second).isNotEqualTo(first);
  }

  @Test
  void keepsOnlyTheAnswersWorthKeeping() {
    String remote = kept.get("acme", lookUp, answer -> false);

    assertThat(kept.get("acme", lookUp, answer -> false)).isNotEqualTo(remote);
    assertThat(lookups).hasSize(2);
  }

  @Test
  void forgetsEverythingWhenToldTo() {
    String before = get("leads-3");

    kept.forget();

    assertThat(get("leads-3")).isNotEqualTo(before);
  }
}
