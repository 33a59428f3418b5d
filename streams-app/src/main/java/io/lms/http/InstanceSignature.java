package io.lms.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Proof that a request was sent by an instance of the same deployment: an HMAC-SHA256, keyed by the
 * secret every instance is given ({@code LMS_INSTANCE_SECRET}), over the method, the path with its
 * query, the sending instance, the time, a nonce and the caller's {@code Authorization} header.
 *
 * <p>A forwarded read skips the org's rate limit (it was counted where it arrived), so the mark that
 * says "forwarded" grants trust and must not be something a client can write. A signature is
 * refused when it is older or newer than {@link #TOLERANCE} (clocks of a deployment's instances
 * agree far better), and when its nonce was already seen: a header captured on the way cannot be
 * sent again. Nonces are remembered until their signature has expired, and only after the MAC
 * verified, so no client can fill that memory.
 */
public final class InstanceSignature {
  /** How far a signature's time may be from this instance's clock. */
  static final Duration TOLERANCE = Duration.ofSeconds(30);
  /** The fewest characters a secret may have: 32 random characters carry well over 128 bits. */
  public static final int MIN_SECRET_LENGTH = 32;

  private static final String VERSION = "v1";
  private static final String ALGORITHM = "HmacSHA256";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;
  private final Clock clock;
  private final ThreadLocal<Mac> macs;
  private final Map<String, Long> seenNonces = new ConcurrentHashMap<>();
  private volatile long nextPurgeMillis;

  public InstanceSignature(String secret, Clock clock) {
    if (secret.length() < MIN_SECRET_LENGTH) {
      throw new IllegalArgumentException("the instance secret must have at least " + MIN_SECRET_LENGTH + " characters");
    }
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    this.clock = clock;
    this.macs = ThreadLocal.withInitial(this::newMac);
  }

  /** A secret for an instance that is alone by construction (the embedded default). */
  public static String randomSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** The signature header for a request this instance ({@code sender}) sends to another. */
  String sign(String method, String pathAndQuery, String sender, String authorization) {
    long millis = clock.millis();
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    String nonceText = HexFormat.of().formatHex(nonce);
    return VERSION + ";t=" + millis + ";n=" + nonceText + ";s="
        + mac(method, pathAndQuery, sender, millis, nonceText, authorization);
  }

  /**
   * Checks a received request's signature header: empty when it proves that an instance sent this
   * very request now, else why not. A signature that verifies is spent: the same one is refused
   * from then on.
   */
  Optional<String> verify(String method, String pathAndQuery, String sender, String authorization, String header) {
    if (header == null) {
      return Optional.of("unsigned");
    }
    String[] parts = header.split(";", -1);
    if (parts.length != 4 || !parts[0].equals(VERSION) || !parts[1].startsWith("t=") || !parts[2].startsWith("n=")
        || !parts[3].startsWith("s=")) {
      return Optional.of("malformed signature");
    }
    long millis;
    try {
      millis = Long.parseLong(parts[1].substring(2));
    } catch (NumberFormatException e) {
      return Optional.of("malformed signature");
    }
    String nonce = parts[2].substring(2);
    long now = clock.millis();
    if (Math.abs(now - millis) > TOLERANCE.toMillis()) {
      return Optional.of("signature expired");
    }
    byte[] expected = mac(method, pathAndQuery, sender, millis, nonce, authorization).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, parts[3].substring(2).getBytes(StandardCharsets.US_ASCII))) {
      return Optional.of("bad signature");
    }
    purgeExpired(now);
    if (seenNonces.putIfAbsent(nonce, millis + TOLERANCE.toMillis()) != null) {
      return Optional.of("signature replayed");
    }
    return Optional.empty();
  }

  private void purgeExpired(long now) {
    if (now >= nextPurgeMillis) {
      nextPurgeMillis = now + TOLERANCE.toMillis();
      seenNonces.values().removeIf(expiry -> expiry < now);
    }
  }

  private String mac(String method, String pathAndQuery, String sender, long millis, String nonce, String authorization) {
    // Fields are joined by a newline, which none of them can hold (HTTP forbids it in all of them).
    String text = String.join("\n", VERSION, method, pathAndQuery, sender, Long.toString(millis), nonce,
        authorization == null ? "" : authorization);
    Mac mac = macs.get();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }
}
