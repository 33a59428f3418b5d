package io.lms.schema.codec;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Adds packages to Avro's allow-list of classes it may instantiate, or generated classes are
 * refused with "Forbidden ... not trusted". Avro reads {@code org.apache.avro.SERIALIZABLE_PACKAGES}
 * once, when its {@link ClassSecurityValidator} class is first used: a JVM that had touched an LMS
 * record class before the first codec (a test building an error, a Connect worker) kept a
 * validator without our package. So the package also joins the validator Avro already has.
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
    ClassSecurityValidator.ClassSecurityPredicate inPackage =
        type -> type.getPackageName().equals(pkg) || type.getPackageName().startsWith(pkg + ".");
    ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), inPackage));
  }
}
