package io.lms.schema.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Every released version of an LMS schema, kept as {@code released/<full name>/v<N>.avsc} on the
 * classpath (numbered from 1 without gaps). A released version is never edited or removed: data
 * written with it may still sit in a topic.
 */
public final class ReleasedSchemas {
  private ReleasedSchemas() {}

  public static List<Schema> versionsOf(String fullName) {
    List<Schema> versions = new ArrayList<>();
    ClassLoader loader = ReleasedSchemas.class.getClassLoader();
    for (int version = 1; ; version++) {
      String path = resourcePath(fullName, version);
      try (InputStream in = loader.getResourceAsStream(path)) {
        if (in == null) {
          return List.copyOf(versions);
        }
        versions.add(new Schema.Parser().parse(in));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read released schema " + path, e);
      }
    }
  }

  public static String resourcePath(String fullName, int version) {
    return "released/" + fullName + "/v" + version + ".avsc";
  }
}
