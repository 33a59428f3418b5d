package io.lms.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.runtime.PeerWatch.Reach;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.internals.StreamsMetadataImpl;
import org.junit.jupiter.api.Test;

class PeerWatchTest {
  private static final HostInfo SELF = new HostInfo("10.0.0.1", 8080);
  private static final HostInfo PEER = new HostInfo("10.0.0.2", 8080);
  private static final Set<TopicPartition> PEER_PARTITIONS = Set.of(new TopicPartition("lms.lead-commands", 3));

  private final AtomicLong now = new AtomicLong();
  private Reach reach = Reach.ANSWERS;
  private boolean evictionWorks = true;
  private final List<HostInfo> probed = new ArrayList<>();
  private final List<Set<TopicPartition>> evictions = new ArrayList<>();
  private final PeerWatch watch = new PeerWatch(() -> List.of(client(SELF, Set.of()), client(PEER, PEER_PARTITIONS)),
      SELF, host -> {
        probed.add(host);
        return reach;
      }, (host, partitions) -> {
        evictions.add(partitions);
        return evictionWorks;
      }, Duration.ofSeconds(2), now::get);

  @Test
  void aPeerThatRefusesForTheWholeGoneAfterIsEvictedOncePerDeath() {
    at(0, Reach.ANSWERS);
    at(1_000, Reach.GONE);
    assertThat(at(2_999, Reach.GONE)).isEmpty();
    assertThat(at(3_000, Reach.GONE)).containsExactly(PEER);
    assertThat(evictions).containsExactly(PEER_PARTITIONS);
    assertThat(at(9_000, Reach.GONE)).as("still dead: evicted already").isEmpty();

    at(10_000, Reach.ANSWERS); // restarted
    at(11_000, Reach.GONE);
    assertThat(at(13_000, Reach.GONE)).containsExactly(PEER);
    assertThat(evictions).hasSize(2);
  }

  @Test
  void aPeerNeverSeenAnsweringIsNotEvicted() {
    // As after a restart of its own: the HTTP server may not listen yet while its threads join.
    for (long t = 0; t <= 20_000; t += 500) {
      assertThat(at(t, Reach.GONE)).isEmpty();
    }
    assertThat(evictions).isEmpty();
  }

  @Test
  void onlyAnUnbrokenRunOfRefusalsCounts() {
    at(0, Reach.ANSWERS);
    at(500, Reach.GONE);
    at(1_500, Reach.UNKNOWN); // a timeout: perhaps alive behind a slow network
    at(2_000, Reach.GONE);
    assertThat(at(3_500, Reach.GONE)).isEmpty();
    assertThat(at(4_000, Reach.GONE)).containsExactly(PEER);

    at(5_000, Reach.ANSWERS);
    at(5_500, Reach.GONE);
    at(6_000, Reach.ANSWERS);
    assertThat(at(7_600, Reach.GONE)).isEmpty();
  }

  @Test
  void aFailedEvictionIsTriedAgainAtTheNextRound() {
    at(0, Reach.ANSWERS);
    at(500, Reach.GONE);
    evictionWorks = false;
    assertThat(at(2_500, Reach.GONE)).isEmpty();
    evictionWorks = true;
    assertThat(at(3_000, Reach.GONE)).containsExactly(PEER);
    assertThat(evictions).hasSize(2);
  }

  @Test
  void neverProbesItself() {
    at(0, Reach.GONE);
    at(5_000, Reach.GONE);
    assertThat(probed).containsOnly(PEER);
  }

  @Test
  void aClosedPortIsGoneAndAListeningOneAnswers() throws IOException {
    try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThat(PeerWatch.connect(new HostInfo("127.0.0.1", listening.getLocalPort()))).isEqualTo(Reach.ANSWERS);
    }
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    assertThat(PeerWatch.connect(new HostInfo("127.0.0.1", closed))).isEqualTo(Reach.GONE);
  }

  private List<HostInfo> at(long millis, Reach reach) {
    now.set(millis);
    this.reach = reach;
    return watch.check();
  }

  private static StreamsMetadata client(HostInfo host, Set<TopicPartition> active) {
    return new StreamsMetadataImpl(host, Set.of(), active, Set.of(), Set.of());
  }
}
