package io.lms.schema.codec;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Adds packages to Avro's {@code org.apache.avro.SERIALIZABLE_PACKAGES} allow-list. It must be set
 * in code before Avro first reads it, not only on a command line, or generated classes are
 * refused with "Forbidden ... not trusted".
 */
final class TrustedPackages {
  private static final String PROPERTY = "org.apache.avro.SERIALIZABLE_PACKAGES";

  private TrustedPackages() {}

  static synchronized void trust(String pkg) {
    Set<String> packages = new LinkedHashSet<>();
    String current = System.getProperty(PROPERTY);
    if (current != null && !current.isBlank()) {
      packages.addAll(Arrays.asList(current.split(",")));
    }
    packages.add(pkg);
    System.setProperty(PROPERTY, String.join(",", packages));
  }
}
