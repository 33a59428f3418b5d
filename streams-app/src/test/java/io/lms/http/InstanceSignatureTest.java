package io.lms.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class InstanceSignatureTest {
  private static final String SECRET = "a-deployment-secret-of-forty-characters!";
  private static final String PATH = "/v2/leads?status=OPEN&limit=20";
  private static final String SENDER = "10.0.0.7:8080";
  private static final String AUTH = "Basic dGlsbDpzZWNyZXQ=";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
  private final InstanceSignature instances = new InstanceSignature(SECRET, clock);

  @Test
  void aSignatureVerifiesOnceForTheRequestItWasMadeFor() {
    String header = instances.sign("GET", PATH, SENDER, AUTH);

    assertThat(instances.verify("GET", PATH, SENDER, AUTH, header)).isEmpty();
    assertThat(instances.verify("GET", PATH, SENDER, AUTH, header)).contains("signature replayed");
  }

  @Test
  void aSignatureMovedToAnotherRequestIsRefused() {
    String header = instances.sign("GET", PATH, SENDER, AUTH);

    assertThat(instances.verify("POST", PATH, SENDER, AUTH, header)).contains("bad signature");
    assertThat(instances.verify("GET", "/v2/leads?status=WON&limit=20", SENDER, AUTH, header)).contains("bad signature");
    assertThat(instances.verify("GET", "/v2/leads/2", SENDER, AUTH, header)).contains("bad signature");
    assertThat(instances.verify("GET", PATH, "attacker:1", AUTH, header)).contains("bad signature");
    assertThat(instances.verify("GET", PATH, SENDER, "Basic Z2xvYmV4OnB3", header)).contains("bad signature");
    // Refusals spend nothing: the request it was made for still verifies.
    assertThat(instances.verify("GET", PATH, SENDER, AUTH, header)).isEmpty();
  }

  @Test
  void anotherDeploymentsSignatureIsRefused() {
    var other = new InstanceSignature("another-deployment-secret-of-forty-chars", clock);

    assertThat(instances.verify("GET", PATH, SENDER, AUTH, other.sign("GET", PATH, SENDER, AUTH)))
        .contains("bad signature");
  }

  @Test
  void aSignatureOutsideTheToleranceIsRefusedEitherWay() {
    String old = instances.sign("GET", PATH, SENDER, AUTH);
    clock.advance(InstanceSignature.TOLERANCE.plusMillis(1));
    assertThat(instances.verify("GET", PATH, SENDER, AUTH, old)).contains("signature expired");

    String fromTheFuture = instances.sign("GET", PATH, SENDER, AUTH);
    clock.advance(InstanceSignature.TOLERANCE.multipliedBy(-2).minusMillis(2));
    assertThat(instances.verify("GET", PATH, SENDER, AUTH, fromTheFuture)).contains("signature expired");
  }

  @Test
  void aReplayIsRefusedForAsLongAsTheSignatureIsFresh() {
    String header = instances.sign("GET", PATH, SENDER, AUTH);
    assertThat(instances.verify("GET", PATH, SENDER, AUTH, header)).isEmpty();

    clock.advance(InstanceSignature.TOLERANCE);
    assertThat(instances.verify("GET", PATH, SENDER, AUTH, header)).contains("signature replayed");
    clock.advance(Duration.ofMillis(1));
    assertThat(instances.verify("GET", PATH, SENDER, AUTH, header)).contains("signature expired");
  }

  @Test
  void headersThatAreNotSignaturesAreRefused() {
    for (String header : new String[] {"", "anything", "v1;t=1;n=2", "v2;t=1;n=2;s=3", "v1;t=x;n=2;s=3",
        "v1;t=" + clock.millis() + ";n=00;s=", "v1;n=00;t=1;s=AAAA"}) {
      assertThat(instances.verify("GET", PATH, SENDER, AUTH, header)).as(header).isPresent();
    }
    assertThat(instances.verify("GET", PATH, SENDER, AUTH, null)).contains("unsigned");
  }

  @Test
  void aShortSecretIsRefused() {
    assertThatThrownBy(() -> new InstanceSignature("too-short", clock)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32");
    assertThat(InstanceSignature.randomSecret()).hasSizeGreaterThanOrEqualTo(InstanceSignature.MIN_SECRET_LENGTH);
  }

  private static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
