package io.lms.runtime;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a replaced stream thread's static member out of the group once the thread is gone. Kafka
 * Streams 4.4 gives the replacement a new thread index while the failed thread is still shutting
 * down, so a new {@code group.instance.id} ({@code <instance id>-<index>}), and the failed thread
 * leaves without a LeaveGroup, as static members do so that a restart keeps its tasks. The group
 * would then wait for it a whole session timeout (45 s by default) before its tasks moved to the
 * replacement: removing the member through the Admin API ends that wait at once.
 */
final class ReplacedThreadMembers {
  private static final Logger log = LoggerFactory.getLogger(ReplacedThreadMembers.class);
  private static final Duration THREAD_EXIT = Duration.ofSeconds(30);
  private static final Duration REMOVAL = Duration.ofSeconds(15);

  private final Supplier<Admin> admins;
  private final String groupId;
  private final String instanceId;

  ReplacedThreadMembers(Supplier<Admin> admins, String groupId, String instanceId) {
    this.admins = admins;
    this.groupId = groupId;
    this.instanceId = instanceId;
  }

  /** The static member of a stream thread: Kafka Streams names both {@code ...-StreamThread-<index>}. */
  String memberOf(Thread streamThread) {
    String name = streamThread.getName();
    return instanceId + "-" + name.substring(name.lastIndexOf('-') + 1);
  }

  /** Removes the member of {@code failed}, a stream thread being replaced, once it has exited. */
  void removeWhenGone(Thread failed) {
    String member = memberOf(failed);
    Thread remover = new Thread(() -> remove(failed, member), "lms-remove-member-" + member);
    remover.setDaemon(true);
    remover.start();
  }

  private void remove(Thread failed, String member) {
    try {
      failed.join(THREAD_EXIT.toMillis());
      try (Admin admin = admins.get()) {
        admin.removeMembersFromConsumerGroup(groupId,
                new RemoveMembersFromConsumerGroupOptions(List.of(new MemberToRemove(member))))
            .all().get(REMOVAL.toMillis(), TimeUnit.MILLISECONDS);
      }
      log.info("Removed {}, the group member of a replaced stream thread, so that its tasks move now", member);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      log.warn("Could not remove {}, the group member of a replaced stream thread: its tasks move when its session"
          + " times out ({})", member, e.getCause() != null ? e.getCause().toString() : e.toString());
    }
  }
}
