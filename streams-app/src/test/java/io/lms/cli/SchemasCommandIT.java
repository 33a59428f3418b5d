package io.lms.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.runtime.ApicurioRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code lms schemas} against a real Apicurio Registry (Confluent's API), with the global level Confluent has by default. */
class SchemasCommandIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  static ApicurioRegistry registry;

  @BeforeAll
  static void startRegistry() throws Exception {
    registry = ApicurioRegistry.start();
    registryCall("PUT", "/config", "{\"compatibility\":\"BACKWARD\"}");
  }

  @AfterAll
  static void stopRegistry() throws InterruptedException {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void checksThenRegistersAndRegisteringAgainGivesTheSameIds() {
    Cli check = Cli.run(Map.of("LMS_SCHEMA_REGISTRY_URL", registry.confluentApi()), "schemas", "--prefix", "fresh.");

    assertThat(check.exitCode()).as(check.err()).isZero();
    assertThat(check.out().lines()).hasSize(6).allSatisfy(line -> assertThat(line).endsWith(": compatible"))
        .anySatisfy(line -> assertThat(line).startsWith("fresh.lead-events-value (io.lms.schema.LeadEvent, compatibility BACKWARD)"));

    Cli first = Cli.run(Map.of(), "schemas", "--registry", registry.confluentApi(), "--prefix", "fresh.", "--register");
    Cli again = Cli.run(Map.of(), "schemas", "--registry", registry.confluentApi(), "--prefix", "fresh.", "--register");

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out().lines()).hasSize(6).allMatch(line -> line.matches("registered fresh\\.[a-z-]+-value as id \\d+"))
        .contains("registered fresh.leads-value as id " + latestId("fresh.leads-value"));
    assertThat(again.out()).isEqualTo(first.out());
  }

  @Test
  void aSchemaTheRegistryWouldRefuseIsReportedAndNothingIsRegistered() throws Exception {
    registryCall("POST", "/subjects/taken.leads-value/versions", "{\"schema\":\"{\\\"type\\\":\\\"record\\\","
        + "\\\"name\\\":\\\"LeadState\\\",\\\"namespace\\\":\\\"io.lms.schema\\\",\\\"fields\\\":[{\\\"name\\\":\\\"orgId\\\",\\\"type\\\":\\\"long\\\"}]}\"}");

    Cli check = Cli.run(Map.of(), "schemas", "--registry", registry.confluentApi(), "--prefix", "taken.");
    Cli register = Cli.run(Map.of(), "schemas", "--registry", registry.confluentApi(), "--prefix", "taken.", "--register");

    assertThat(check.exitCode()).isEqualTo(SchemasCommand.INCOMPATIBLE);
    assertThat(check.out()).contains("taken.leads-value (io.lms.schema.LeadState, compatibility NONE (global BACKWARD)): INCOMPATIBLE")
        .contains("taken.lead-events-value (io.lms.schema.LeadEvent, compatibility BACKWARD): compatible");
    assertThat(register.exitCode()).isEqualTo(LmsCli.FAILED);
    assertThat(register.err()).startsWith("lms schemas: Schema registry " + registry.confluentApi()).contains("taken.leads-value");
    assertThat(registryCall("GET", "/subjects", null)).contains("taken.leads-value").doesNotContain("taken.lead-events-value");
  }

  @Test
  void aRegistryThatDoesNotAnswerIsAFailureNamingIt() {
    Cli check = Cli.run(Map.of(), "schemas", "--registry", "http://127.0.0.1:1/apis/ccompat/v7");

    assertThat(check.exitCode()).isEqualTo(LmsCli.FAILED);
    assertThat(check.err()).startsWith("lms schemas: Schema registry http://127.0.0.1:1/apis/ccompat/v7 did not answer");
  }

  private static int latestId(String subject) {
    String body = registryCall("GET", "/subjects/" + subject + "/versions/latest", null);
    return Integer.parseInt(body.replaceAll(".*\"id\":(\\d+).*", "$1"));
  }

  private static String registryCall(String method, String path, String body) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(registry.confluentApi() + path))
          .header("Content-Type", "application/vnd.schemaregistry.v1+json")
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(200);
      return response.body();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
