package io.lms.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.schema.CommandResult;
import io.lms.schema.Customer;
import io.lms.schema.LeadCommand;
import io.lms.schema.LeadEvent;
import io.lms.schema.LeadState;
import io.lms.schema.LeadSummary;
import io.lms.schema.OrgSequences;
import io.lms.schema.Reason;
import io.lms.schema.SubStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The schema-evolution rule: every released version of every LMS schema stays in
 * {@code src/main/resources/released}, and the current schema must read data written with each
 * of them. A changed schema is released by rerunning with {@code -Dlms.schemas.release=true},
 * which adds it as the next version; the build then proves it backward-compatible.
 */
class SchemaEvolutionTest {
  private static final Path RELEASED = Path.of("src/main/resources");

  static Stream<Class<?>> topLevelTypes() {
    return Stream.of(LeadCommand.class, LeadEvent.class, LeadState.class, CommandResult.class,
        Reason.class, SubStatus.class, Customer.class, OrgSequences.class, LeadSummary.class);
  }

  private static Schema current(Class<?> type) {
    return SpecificData.get().getSchema(type);
  }

  @ParameterizedTest
  @MethodSource("topLevelTypes")
  void theCurrentSchemaIsReleased(Class<?> type) throws IOException {
    Schema current = current(type);
    List<Schema> released = ReleasedSchemas.versionsOf(current.getFullName());
    if (Boolean.getBoolean("lms.schemas.release") && (released.isEmpty()
        || fingerprint(released.get(released.size() - 1)) != fingerprint(current))) {
      Path file = RELEASED.resolve(ReleasedSchemas.resourcePath(current.getFullName(), released.size() + 1));
      Files.createDirectories(file.getParent());
      Files.writeString(file, current.toString(true) + "\n", StandardCharsets.UTF_8);
      released = List.of(new Schema.Parser().parse(file.toFile()));
    }
    assertThat(released).as("released versions of %s (release with -Dlms.schemas.release=true)", type.getSimpleName())
        .isNotEmpty();
    assertThat(fingerprint(released.get(released.size() - 1)))
        .as("%s changed since its last released version: release it with -Dlms.schemas.release=true", type.getSimpleName())
        .isEqualTo(fingerprint(current));
  }

  @ParameterizedTest
  @MethodSource("topLevelTypes")
  void theCurrentSchemaReadsEveryReleasedVersion(Class<?> type) {
    Schema current = current(type);
    for (Schema writer : ReleasedSchemas.versionsOf(current.getFullName())) {
      SchemaCompatibility.SchemaPairCompatibility result =
          SchemaCompatibility.checkReaderWriterCompatibility(current, writer);
      assertThat(result.getType())
          .as("%s cannot read a released version: %s", type.getSimpleName(), result.getResult().getIncompatibilities())
          .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }
  }

  @org.junit.jupiter.api.Test
  void theCheckCatchesAFieldAddedWithoutDefault() {
    Schema reason = current(Reason.class);
    List<Schema.Field> fields = new java.util.ArrayList<>();
    for (Schema.Field field : reason.getFields()) {
      fields.add(new Schema.Field(field, field.schema()));
    }
    fields.add(new Schema.Field("category", Schema.create(Schema.Type.STRING)));
    Schema evolved = Schema.createRecord(reason.getName(), null, reason.getNamespace(), false, fields);
    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(evolved, reason).getType())
        .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
  }

  private static long fingerprint(Schema schema) {
    return SchemaNormalization.parsingFingerprint64(schema);
  }
}
