package io.lms.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted PBKDF2-HMAC-SHA256 password hashes, written {@code pbkdf2-sha256:<iterations>:<salt>:<hash>}
 * (Base64). The JDK has it; no library is worth adding for it.
 */
public final class PasswordHash {
  private static final String PREFIX = "pbkdf2-sha256";
  private static final int ITERATIONS = 120_000;
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;

  private PasswordHash() {}

  public static String hash(char[] password) {
    byte[] salt = new byte[SALT_BYTES];
    new SecureRandom().nextBytes(salt);
    byte[] hash = derive(password, salt, ITERATIONS);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return PREFIX + ":" + ITERATIONS + ":" + b64.encodeToString(salt) + ":" + b64.encodeToString(hash);
  }

  /** Whether the password matches the stored hash, in time independent of where they differ. */
  public static boolean matches(char[] password, String stored) {
    String[] parts = stored.split(":");
    if (parts.length != 4 || !parts[0].equals(PREFIX)) {
      throw new IllegalArgumentException("not a " + PREFIX + " hash");
    }
    int iterations = Integer.parseInt(parts[1]);
    byte[] salt = Base64.getDecoder().decode(parts[2]);
    byte[] expected = Base64.getDecoder().decode(parts[3]);
    return MessageDigest.isEqual(expected, derive(password, salt, iterations));
  }

  static boolean isHash(String text) {
    String[] parts = text.split(":");
    return parts.length == 4 && parts[0].equals(PREFIX) && parts[1].chars().allMatch(Character::isDigit);
  }

  private static byte[] derive(char[] password, byte[] salt, int iterations) {
    try {
      PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
    }
  }

  /** Prints the hash of a password read from standard input, for the credentials file. */
  public static void main(String[] args) throws java.io.IOException {
    java.io.Console console = System.console();
    char[] password = console != null
        ? console.readPassword("Password: ")
        : new String(System.in.readAllBytes(), StandardCharsets.UTF_8).strip().toCharArray();
    System.out.println(hash(password));
  }
}
