package io.lms.connect.postgres;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.apicurio.registry.utils.converter.avro.AvroData;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;

/**
 * Connect data as the JSON kept in JSONB columns. It reads like the record: a union shows only the
 * branch it holds, by its simple name ({@code "payload": {"StatusChanged": {...}}}), and a
 * timestamp is ISO-8601, so analysts query it with plain {@code ->} / {@code ->>} paths.
 */
final class StructJson {
  private static final JsonFactory JSON = new JsonFactory();

  private StructJson() {}

  static String write(Schema schema, Object value) {
    StringWriter out = new StringWriter(1024);
    try (JsonGenerator generator = JSON.createGenerator(out)) {
      write(generator, schema, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void write(JsonGenerator out, Schema schema, Object value) throws IOException {
    if (value == null) {
      out.writeNull();
      return;
    }
    switch (schema.type()) {
      case STRUCT -> {
        Struct struct = (Struct) value;
        out.writeStartObject();
        boolean union = AvroData.AVRO_TYPE_UNION.equals(schema.name());
        for (Field field : schema.fields()) {
          Object fieldValue = struct.get(field);
          if (union && fieldValue == null) {
            continue;
          }
          out.writeFieldName(union ? LmsTables.simpleName(field.name()) : field.name());
          write(out, field.schema(), fieldValue);
        }
        out.writeEndObject();
      }
      case ARRAY -> {
        out.writeStartArray();
        for (Object item : (List<?>) value) {
          write(out, schema.valueSchema(), item);
        }
        out.writeEndArray();
      }
      case MAP -> {
        out.writeStartObject();
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
          out.writeFieldName(String.valueOf(entry.getKey()));
          write(out, schema.valueSchema(), entry.getValue());
        }
        out.writeEndObject();
      }
      case INT64 -> {
        if (Timestamp.LOGICAL_NAME.equals(schema.name())) {
          out.writeString(((Date) value).toInstant().toString());
        } else {
          out.writeNumber((Long) value);
        }
      }
      case INT8, INT16, INT32 -> out.writeNumber(((Number) value).intValue());
      case FLOAT32, FLOAT64 -> out.writeNumber(((Number) value).doubleValue());
      case BOOLEAN -> out.writeBoolean((Boolean) value);
      case STRING -> out.writeString((String) value);
      case BYTES -> out.writeBinary(value instanceof byte[] bytes ? bytes : toArray((java.nio.ByteBuffer) value));
    }
  }

  private static byte[] toArray(java.nio.ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }
}
