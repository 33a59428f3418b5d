package io.lms.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

/**
 * Writes an Avro record as the JSON a person reads: field names and plain values, with none of
 * Avro's own JSON encoding's union wrappers ({@code {"string": "x"}}), times as ISO-8601, and
 * null fields left out. Only a union that can hold one of several records (a command's or an
 * event's payload) names the branch: {@code "payload": {"LeadCreated": {...}}}.
 */
final class RecordJson {
  private RecordJson() {}

  static void write(JsonGenerator json, IndexedRecord record) throws IOException {
    value(json, record.getSchema(), record);
  }

  private static void value(JsonGenerator json, Schema schema, Object value) throws IOException {
    switch (schema.getType()) {
      case RECORD -> record(json, (IndexedRecord) value);
      case UNION -> union(json, schema, value);
      case ARRAY -> {
        json.writeStartArray();
        for (Object item : (Collection<?>) value) {
          value(json, schema.getElementType(), item);
        }
        json.writeEndArray();
      }
      case MAP -> {
        json.writeStartObject();
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
          json.writeFieldName(entry.getKey().toString());
          value(json, schema.getValueType(), entry.getValue());
        }
        json.writeEndObject();
      }
      case STRING, ENUM -> json.writeString(value.toString());
      case LONG -> {
        if (value instanceof Instant instant) {
          json.writeString(instant.toString());
        } else if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
          json.writeString(Instant.ofEpochMilli((Long) value).toString());
        } else {
          json.writeNumber((Long) value);
        }
      }
      case INT -> json.writeNumber((Integer) value);
      case FLOAT -> json.writeNumber((Float) value);
      case DOUBLE -> json.writeNumber((Double) value);
      case BOOLEAN -> json.writeBoolean((Boolean) value);
      case BYTES -> json.writeString(base64((ByteBuffer) value));
      case FIXED -> json.writeString(Base64.getEncoder().encodeToString(((GenericFixed) value).bytes()));
      case NULL -> json.writeNull();
    }
  }

  private static void record(JsonGenerator json, IndexedRecord record) throws IOException {
    json.writeStartObject();
    for (Schema.Field field : record.getSchema().getFields()) {
      Object fieldValue = record.get(field.pos());
      if (fieldValue != null) {
        json.writeFieldName(field.name());
        value(json, field.schema(), fieldValue);
      }
    }
    json.writeEndObject();
  }

  private static void union(JsonGenerator json, Schema union, Object value) throws IOException {
    if (value == null) {
      json.writeNull();
      return;
    }
    List<Schema> branches = union.getTypes();
    Schema branch = branches.stream().filter(b -> holds(b, value)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(value.getClass().getName() + " is not in " + union));
    long records = branches.stream().filter(b -> b.getType() == Schema.Type.RECORD).count();
    if (branch.getType() == Schema.Type.RECORD && records > 1) {
      json.writeStartObject();
      json.writeFieldName(branch.getName());
      value(json, branch, value);
      json.writeEndObject();
    } else {
      value(json, branch, value);
    }
  }

  /** Whether {@code branch} is the union branch the Java value was written as. */
  private static boolean holds(Schema branch, Object value) {
    return switch (branch.getType()) {
      case RECORD, ENUM, FIXED -> value instanceof GenericContainer container
          && container.getSchema().getFullName().equals(branch.getFullName())
          || value instanceof Enum<?> e && e.getDeclaringClass().getName().equals(branch.getFullName());
      case STRING -> value instanceof CharSequence;
      case LONG -> value instanceof Long || value instanceof Instant;
      case INT -> value instanceof Integer;
      case FLOAT -> value instanceof Float;
      case DOUBLE -> value instanceof Double;
      case BOOLEAN -> value instanceof Boolean;
      case BYTES -> value instanceof ByteBuffer;
      case ARRAY -> value instanceof Collection<?>;
      case MAP -> value instanceof Map<?, ?>;
      case NULL -> false;
      case UNION -> false;
    };
  }

  private static String base64(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }
}
