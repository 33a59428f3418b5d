package io.lms.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Org ids as LMS accepts them: the rule is the pattern below, however it is checked. */
class OrgIdTest {
  private static final Pattern RULE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  @Property(tries = 5_000)
  void agreesWithThePatternOnAnyString(@ForAll("orgLike") String orgId) {
    assertThat(CommandHandler.isValidOrgId(orgId)).as("'%s'", orgId).isEqualTo(RULE.matcher(orgId).matches());
  }

  @Example
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

  /** Mostly the allowed characters, with now and then one that is not, at lengths around the limit. */
  @Provide
  Arbitrary<String> orgLike() {
    Arbitrary<Character> allowed = Arbitraries.chars().with("abcxyzABCXYZ0189_.-".toCharArray());
    Arbitrary<Character> other = Arbitraries.chars().with('/', ' ', '@', ':', '\u00e9', '\u0000', '`', '{', '[', '~');
    return Arbitraries.frequencyOf(
            Tuple.of(20, allowed),
            Tuple.of(1, other))
        .list().ofMinSize(0).ofMaxSize(70)
        .map(chars -> chars.stream().map(String::valueOf).reduce("", String::concat));
  }
}
