package io.lms.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.fuzz.PropertySeeds;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Org ids as LMS accepts them: the rule is the pattern below, however it is checked. */
class OrgIdTest {
  private static final Pattern RULE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final char[] ALLOWED = "abcxyzABCXYZ0189_.-".toCharArray();
  private static final char[] OTHER = {'/', ' ', '@', ':', '\u00e9', '\u0000', '`', '{', '[', '~'};
  private static final int TRIES_PER_SEED = 1_000;

  static LongStream seeds() {
    return PropertySeeds.orDefaults(1, 2, 3, 4, 5);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void agreesWithThePatternOnAnyString(long seed) {
    Random random = new Random(seed);
    for (int i = 0; i < TRIES_PER_SEED; i++) {
      String orgId = orgLike(random);
      assertThat(CommandHandler.isValidOrgId(orgId)).as("seed %d, '%s'", seed, orgId)
          .isEqualTo(RULE.matcher(orgId).matches());
    }
  }

  @Test
  void theEdges() {
    assertThat(CommandHandler.isValidOrgId(null)).isFalse();
    assertThat(CommandHandler.isValidOrgId("")).isFalse();
    assertThat(CommandHandler.isValidOrgId("a".repeat(64))).isTrue();
    assertThat(CommandHandler.isValidOrgId("a".repeat(65))).isFalse();
    assertThat(CommandHandler.isValidOrgId("acme.eu-1_X")).isTrue();
    assertThat(CommandHandler.isValidOrgId("acme/x")).isFalse();
    assertThat(CommandHandler.isValidOrgId("acmé")).isFalse();
    assertThat(CommandHandler.isValidOrgId("acme ")).isFalse();
  }

  /** Mostly the allowed characters, with now and then one that is not (1 in 21), at lengths around the limit. */
  private static String orgLike(Random random) {
    int length = random.nextInt(71);
    StringBuilder orgId = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      char[] from = random.nextInt(21) == 0 ? OTHER : ALLOWED;
      orgId.append(from[random.nextInt(from.length)]);
    }
    return orgId.toString();
  }
}
