package io.lms.cli;

import io.lms.registry.SchemaRegistryClient;
import io.lms.registry.SchemaRegistryException;
import io.lms.registry.TopicSchemas;
import io.lms.runtime.InvalidSettingException;
import io.lms.runtime.LmsConfig;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lms schemas}: the schemas of this LMS against a schema registry, ahead of a deployment. */
@Command(
    name = "schemas",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Checks the value schema of every LMS topic against a schema registry (Confluent's REST API),"
          + " under the subject <topic>-value, or registers them with --register.",
      "",
      "The service does the same at start when LMS_SCHEMA_REGISTRY_URL is set: this lets an"
          + " operator find a refusal, or register the schemas, before deploying. Exit code 0 when"
          + " every schema is compatible (or registered), 3 when the registry would refuse one, 1 when"
          + " it refused to register or did not answer."
    })
final class SchemasCommand implements Callable<Integer> {
  static final int INCOMPATIBLE = 3;

  @ParentCommand LmsCli parent;
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--registry", paramLabel = "<url>",
      description = "The registry's URL (default: $LMS_SCHEMA_REGISTRY_URL); the login is LMS_SCHEMA_REGISTRY_USER"
          + " and LMS_SCHEMA_REGISTRY_PASSWORD")
  String registry;

  @Option(names = "--prefix", paramLabel = "<prefix>",
      description = "Prefix of the LMS topics (default: $LMS_TOPIC_PREFIX, else lms.)")
  String prefix;

  @Option(names = "--register", description = "Register the schemas (nothing is registered when one is refused)")
  boolean register;

  @Override
  public Integer call() {
    LmsCli.quietLogs();
    Map<String, String> env = new HashMap<>(parent.env());
    if (registry != null) {
      env.put("LMS_SCHEMA_REGISTRY_URL", registry);
    }
    if (prefix != null) {
      env.put("LMS_TOPIC_PREFIX", prefix);
    }
    LmsConfig settings = LmsConfig.load(parent.configFile(), env);
    SchemaRegistryClient client = settings.schemaRegistry().orElseThrow(() -> new InvalidSettingException(
        "no schema registry: give --registry <url> or set LMS_SCHEMA_REGISTRY_URL")).client();
    PrintWriter out = spec.commandLine().getOut();
    try {
      if (register) {
        TopicSchemas.register(client, settings.topics().valueSchemas()).forEach((topic, id) ->
            out.printf("registered %s as id %d%n", TopicSchemas.subjectOf(topic), id));
        return 0;
      }
      List<TopicSchemas.SubjectCheck> checks = TopicSchemas.check(client, settings.topics().valueSchemas());
      checks.forEach(check -> out.println(check.describe()));
      return checks.stream().allMatch(check -> check.check().compatible()) ? 0 : INCOMPATIBLE;
    } catch (SchemaRegistryException e) {
      throw new ToolFailure(e.getMessage());
    }
  }
}
