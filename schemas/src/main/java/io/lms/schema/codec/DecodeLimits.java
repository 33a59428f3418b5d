package io.lms.schema.codec;

/**
 * Bounds what Avro allocates for one string, bytes value or collection it reads. Avro takes a
 * length from the data and allocates it before it reads a byte of it, up to 2 GiB by default: a
 * dozen bytes of a poison record ({@code C3 01}, a known fingerprint, a huge length) would cost
 * gigabytes of heap, or an OutOfMemoryError on the stream thread. No LMS value comes near these
 * limits: a request body is at most 256 KiB, a lead's longest text 2,000 characters, its longest
 * list 200 entries.
 *
 * <p>Avro reads these properties once, when it first checks a length: they are set in code before
 * the first decode, and a value an operator set on the command line is kept.
 */
final class DecodeLimits {
  static final int MAX_STRING_BYTES = 1024 * 1024;
  static final int MAX_COLLECTION_ITEMS = 100_000;

  private DecodeLimits() {}

  static synchronized void apply() {
    keepOrSet("org.apache.avro.limits.string.maxLength", MAX_STRING_BYTES);
    keepOrSet("org.apache.avro.limits.bytes.maxLength", MAX_STRING_BYTES);
    keepOrSet("org.apache.avro.limits.collectionItems.maxLength", MAX_COLLECTION_ITEMS);
  }

  private static void keepOrSet(String property, int limit) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, Integer.toString(limit));
    }
  }
}
