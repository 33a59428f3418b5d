package io.lms.runtime;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the wait for a peer instance that crashed. Every instance is a static member of the group,
 * so that a restart keeps its tasks; the price is that a crashed instance's tasks stay with it
 * until its session times out (45 s by default), and its open transactions block every
 * read_committed reader of the partitions they wrote until the transaction times out. Meanwhile
 * its orgs can be neither read nor written.
 *
 * <p>Each instance probes the HTTP port of every other instance of the application, as the
 * group's metadata names them. A peer whose port has refused connections for {@code goneAfter}
 * (a host that is up with nothing listening there, or a host the network says is gone) after it
 * had accepted them is taken to be dead: its group members are removed and its producers fenced
 * ({@link GroupEviction}), and its tasks move to the standbys at once. Nothing else counts as
 * dead: a peer that merely does not answer (a timeout, a network partition, a long GC pause whose
 * kernel still accepts connections) is left to its session timeout.
 *
 * <p>A peer is taken for dead once per death: after an eviction it must accept a connection again
 * (restarted) before it can be evicted again, so that a restarting instance is never evicted while
 * its HTTP server is still starting.
 */
final class PeerWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PeerWatch.class);
  private static final Duration PROBE_INTERVAL = Duration.ofMillis(500);
  private static final int CONNECT_TIMEOUT_MS = 1_000;

  /** What a connection attempt says about a peer. */
  enum Reach {
    /** It accepted the connection: something listens there. */
    ANSWERS,
    /** Refused, or no route to its host: nothing listens there. */
    GONE,
    /** No answer in time, or any other failure: it may be alive behind a slow or broken network. */
    UNKNOWN
  }

  /** Tries to reach a peer. */
  interface Probe {
    Reach reach(HostInfo peer);
  }

  /** Moves a dead peer's tasks now; false when that failed and should be tried again. */
  interface Eviction {
    boolean evict(HostInfo peer, Set<TopicPartition> activePartitions);
  }

  private static final class Peer {
    boolean armed;
    long goneSinceMs = -1;
  }

  private final Supplier<Collection<StreamsMetadata>> clients;
  private final HostInfo self;
  private final Probe probe;
  private final Eviction eviction;
  private final long goneAfterMs;
  private final LongSupplier clockMs;
  private final Map<HostInfo, Peer> peers = new HashMap<>();
  private ScheduledExecutorService scheduler;

  PeerWatch(Supplier<Collection<StreamsMetadata>> clients, HostInfo self, Probe probe, Eviction eviction,
      Duration goneAfter, LongSupplier clockMs) {
    this.clients = clients;
    this.self = self;
    this.probe = probe;
    this.eviction = eviction;
    this.goneAfterMs = goneAfter.toMillis();
    this.clockMs = clockMs;
  }

  /** Probes every {@link #PROBE_INTERVAL} on a daemon thread of its own. */
  PeerWatch start() {
    scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "lms-peer-watch");
      thread.setDaemon(true);
      return thread;
    });
    scheduler.scheduleWithFixedDelay(() -> {
      try {
        check();
      } catch (RuntimeException e) {
        // Metadata is unavailable while Kafka Streams starts or rebalances: the next round sees it.
        log.debug("Peer check skipped: {}", e.toString());
      }
    }, PROBE_INTERVAL.toMillis(), PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** One round: probes every peer and evicts those gone for long enough; returns the evicted. */
  List<HostInfo> check() {
    List<HostInfo> evicted = new ArrayList<>();
    Set<HostInfo> present = new HashSet<>();
    for (StreamsMetadata client : clients.get()) {
      HostInfo host = client.hostInfo();
      if (host.equals(self)) {
        continue;
      }
      present.add(host);
      Peer peer = peers.computeIfAbsent(host, h -> new Peer());
      switch (probe.reach(host)) {
        case ANSWERS -> {
          peer.armed = true;
          peer.goneSinceMs = -1;
        }
        case UNKNOWN -> peer.goneSinceMs = -1;
        case GONE -> {
          if (!peer.armed) {
            continue;
          }
          long now = clockMs.getAsLong();
          if (peer.goneSinceMs < 0) {
            peer.goneSinceMs = now;
          }
          if (now - peer.goneSinceMs >= goneAfterMs) {
            log.warn("Instance {}:{} has refused connections for {} ms: taking its tasks over now, without waiting"
                + " for its session to time out", host.host(), host.port(), now - peer.goneSinceMs);
            if (eviction.evict(host, client.topicPartitions())) {
              peer.armed = false;
              peer.goneSinceMs = -1;
              evicted.add(host);
            }
          }
        }
      }
    }
    peers.keySet().retainAll(present);
    return evicted;
  }

  @Override
  public void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }

  /** A TCP connection to the peer's HTTP port, closed at once. */
  static Reach connect(HostInfo peer) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(peer.host(), peer.port()), CONNECT_TIMEOUT_MS);
      return Reach.ANSWERS;
    } catch (NoRouteToHostException e) {
      return Reach.GONE;
    } catch (ConnectException e) {
      // Refused, or the kernel's own connect timeout (also a ConnectException): only a refusal
      // says that nothing listens.
      String message = String.valueOf(e.getMessage());
      return message.contains("refused") ? Reach.GONE : Reach.UNKNOWN;
    } catch (IOException | RuntimeException e) {
      return Reach.UNKNOWN;
    }
  }
}
