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

  public OwnerLocator(KafkaStreams streams, HostInfo self, PauseGuard pauseGuard) {
    this.streams = streams;
    this.self = self;
    this.pauseGuard = pauseGuard;
  }

  public Owner ownerOf(String orgId) {
    KafkaStreams.State state = streams.state();
    if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
      return new Owner.Unknown("Kafka Streams is " + state);
    }
    KeyQueryMetadata metadata = streams.queryMetadataForKey(StoreNames.LEADS, orgId, KEYS);
    if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)
        || metadata.activeHost() == null || metadata.activeHost().port() < 0) {
      return new Owner.Unknown("no instance owns the org's partition yet");
    }
    if (!metadata.activeHost().equals(self)) {
      return new Owner.Remote(metadata.activeHost());
    }
    // The metadata may be from before a pause that cost this instance its tasks.
    Optional<String> distrust = pauseGuard.distrust();
    return distrust.isPresent() ? new Owner.Unknown(distrust.get()) : new Owner.Local();
  }

  public HostInfo self() {
    return self;
  }
}
