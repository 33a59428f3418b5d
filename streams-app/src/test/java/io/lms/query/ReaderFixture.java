package io.lms.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.schema.Accepted;
import io.lms.schema.CommandResult;
import io.lms.schema.CreateLead;
import io.lms.schema.LeadCommand;
import io.lms.schema.LeadState;
import io.lms.topology.Commands;
import io.lms.topology.TopologyFixture;
import io.lms.topology.TopologySettings;
import java.util.List;

/** The real topology in a test driver, and a {@link LocalLeadReader} over the driver's stores. */
final class ReaderFixture implements AutoCloseable {
  final TopologyFixture lms;
  final LocalLeadReader reader;

  ReaderFixture() {
    this(TopologySettings.defaults());
  }

  ReaderFixture(TopologySettings settings) {
    lms = new TopologyFixture(settings);
    reader = new LocalLeadReader((storeName, orgId) -> lms.driver.getKeyValueStore(storeName));
  }

  /** Sends the command, which must be accepted, and returns the lead it wrote (null if none). */
  LeadState accept(LeadCommand command) {
    CommandResult result = lms.send(command);
    assertThat(result.getOutcome()).as("outcome of %s", command).isInstanceOf(Accepted.class);
    return ((Accepted) result.getOutcome()).getLead();
  }

  long create(Commands org, CreateLead.Builder lead) {
    return accept(org.create(lead)).getId();
  }

  List<LeadState> search(String org, Search search) {
    return found(reader.search(org, search.build()));
  }

  List<Long> ids(String org, Search search) {
    return search(org, search).stream().map(LeadState::getId).toList();
  }

  static <T> T found(QueryResult<T> result) {
    assertThat(result).isInstanceOf(QueryResult.Found.class);
    return ((QueryResult.Found<T>) result).value();
  }

  @Override
  public void close() {
    lms.close();
  }
}
