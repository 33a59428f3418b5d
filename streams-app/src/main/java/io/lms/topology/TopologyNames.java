package io.lms.topology;

/**
 * The names of the topology's processors. They are part of the application's contract: a renamed
 * node changes {@code Topology#describe()}, which the golden test catches.
 */
public final class TopologyNames {
  public static final String COMMANDS_SOURCE = "lead-commands-source";
  public static final String COMMAND_ROUTER = "lead-command-router";
  public static final String COMMANDS_REROUTE_SINK = "lead-commands-reroute-sink";
  public static final String COMMAND_PROCESSOR = "lead-command-processor";
  public static final String EVENTS_SINK = "lead-events-sink";
  public static final String LEADS_SINK = "leads-sink";
  public static final String RESULTS_SINK = "command-results-sink";
  public static final String REASONS_SINK = "reasons-sink";
  public static final String SUB_STATUSES_SINK = "substatuses-sink";

  private TopologyNames() {}
}
