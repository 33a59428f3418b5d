package io.lms.query;

import io.lms.topology.StoreNames;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Which instance owns an org's data. Partitioning is by org, so the org alone decides the task,
 * and that task's active instance answers every query about the org.
 */
public final class OwnerLocator {
  /** Where an org's data lives, as far as this instance knows now. */
  public sealed interface Owner {
    record Local() implements Owner {}

    record Remote(HostInfo host) implements Owner {}

    record Unknown(String reason) implements Owner {}
  }

  private static final Serializer<String> KEYS = Serdes.String().serializer();

  private final KafkaStreams streams;
  private final HostInfo self;
  private final PauseGuard pauseGuard;
  /**
   * The orgs found to be owned here. Only those are kept: an org owned elsewhere can move between
   * two other instances without a rebalance of this one's tasks, one owned here cannot.
   */
  private final KeptWhileRunning<String, Owner> owners;

  /**
   * A locator for the application whose state listener reports every change of state to
   * {@code stateChanges}.
   */
  public OwnerLocator(KafkaStreams streams, HostInfo self, PauseGuard pauseGuard, StreamsStateChanges stateChanges) {
    this.streams = streams;
    this.self = self;
    this.pauseGuard = pauseGuard;
    this.owners = new KeptWhileRunning<>(() -> streams.state() == KafkaStreams.State.RUNNING, stateChanges);
  }

  public Owner ownerOf(String orgId) {
    KafkaStreams.State state = streams.state();
    if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
      return new Owner.Unknown("Kafka Streams is " + state);
    }
    Owner owner = owners.get(orgId, this::lookUp, Owner.Local.class::isInstance);
    if (!(owner instanceof Owner.Local)) {
      return owner;
    }
    // The metadata may be from before a pause that cost this instance its tasks.
    Optional<String> distrust = pauseGuard.distrust();
    return distrust.isPresent() ? new Owner.Unknown(distrust.get()) : owner;
  }

  private Owner lookUp(String orgId) {
    KeyQueryMetadata metadata = streams.queryMetadataForKey(StoreNames.LEADS, orgId, KEYS);
    if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)
        || metadata.activeHost() == null || metadata.activeHost().port() < 0) {
      return new Owner.Unknown("no instance owns the org's partition yet");
    }
    return metadata.activeHost().equals(self) ? new Owner.Local() : new Owner.Remote(metadata.activeHost());
  }

  public HostInfo self() {
    return self;
  }
}
