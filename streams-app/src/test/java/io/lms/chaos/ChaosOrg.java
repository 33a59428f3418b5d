package io.lms.chaos;

import io.lms.http.PasswordHash;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Utils;

/** An org of the chaos run and the one till user that writes to it over HTTP. */
record ChaosOrg(String id, long staffId, String user, String password) {
  /**
   * {@code perPartition} orgs on every partition of a topic with {@code partitions} partitions,
   * as the default partitioner places their keys: no task of the run is left without work.
   */
  static List<ChaosOrg> onEveryPartition(int partitions, int perPartition) {
    int[] placed = new int[partitions];
    List<ChaosOrg> orgs = new ArrayList<>();
    for (int i = 0; orgs.size() < partitions * perPartition; i++) {
      String id = "org-" + i;
      int partition = Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % partitions;
      if (placed[partition] < perPartition) {
        placed[partition]++;
        orgs.add(new ChaosOrg(id, 1000L + i, "till-" + i, "secret-" + i));
      }
    }
    return List.copyOf(orgs);
  }

  String authorization() {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** Its line of an LMS credentials file. */
  String credentialsLine() {
    return user + " = " + id + ":" + staffId + ":" + PasswordHash.hash(password.toCharArray());
  }
}
