package io.lms.topology;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * What makes two commands with one commandId the same request: their payloads, encoded in Avro
 * (so JSON whitespace, key order and Avro-or-JSON on the topic do not matter), with the payload's
 * type first. The commandId, actor and issue time are left out: a retry is sent later, perhaps by
 * another till of the org. The IETF httpapi draft on Idempotency-Key answers a key reused for a
 * different request with 422; a retry of the same request gets the first outcome.
 */
public final class RequestFingerprint {
  private static final int LENGTH = 16;
  private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(RequestFingerprint::sha256);
  private static final ThreadLocal<ByteArrayOutputStream> BUFFER = ThreadLocal.withInitial(ByteArrayOutputStream::new);
  private static final ThreadLocal<BinaryEncoder> ENCODER = new ThreadLocal<>();
  /** One writer per payload type: building one resolves its schema, which costs more than the write. */
  private static final ClassValue<SpecificDatumWriter<SpecificRecord>> WRITERS = new ClassValue<>() {
    @Override
    protected SpecificDatumWriter<SpecificRecord> computeValue(Class<?> type) {
      org.apache.avro.Schema schema = SpecificData.get().getSchema(type);
      return new SpecificDatumWriter<>(schema, SpecificData.getForSchema(schema));
    }
  };

  private RequestFingerprint() {}

  /** The fingerprint of a command's payload. */
  public static ByteBuffer of(Object payload) {
    SpecificRecord record = (SpecificRecord) payload;
    ByteArrayOutputStream buffer = BUFFER.get();
    buffer.reset();
    try {
      // Buffered: an unbuffered encoder makes one synchronized write to the stream per field.
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(buffer, ENCODER.get());
      ENCODER.set(encoder);
      WRITERS.get(record.getClass()).write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    MessageDigest digest = SHA_256.get();
    digest.update(record.getSchema().getFullName().getBytes(StandardCharsets.UTF_8));
    digest.update((byte) 0);
    digest.update(buffer.toByteArray());
    return ByteBuffer.wrap(Arrays.copyOf(digest.digest(), LENGTH));
  }

  /** Whether a remembered result was answered to another request; unknown (null) counts as the same. */
  public static boolean differ(ByteBuffer remembered, ByteBuffer now) {
    return remembered != null && !remembered.duplicate().rewind().equals(now.duplicate().rewind());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
