package io.lms.http;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;

/**
 * HTTP Basic credentials, one line per till or staff user in a properties file:
 *
 * <pre>
 * # username = org:staffId:hash   (hash from: java -cp ... io.lms.http.PasswordHash)
 * till-42 = acme:15002926:pbkdf2-sha256:120000:...:...
 * </pre>
 *
 * <p>A password hash is slow on purpose (a quarter of a CPU-second here), so a header that verified
 * once is remembered (by its SHA-256, never in clear) and later requests cost a map lookup; so is a
 * header that failed, since the same header fails for as long as the file is the same. Until a
 * header is known, its concurrent requests share one verification, and at most one verification
 * per core runs at a time: a fresh instance meeting its clients' load, or a stream of wrong
 * passwords, would otherwise spend every core on hashing while requests time out.
 */
public final class CredentialStore {
  private static final Pattern ORG = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final int MAX_REMEMBERED = 100_000;

  private record Entry(String orgId, long staffId, String hash) {}

  private final Map<String, Entry> users;
  private final BiPredicate<char[], String> matches;
  private final Map<String, Principal> verified = new ConcurrentHashMap<>();
  private final Set<String> refused = ConcurrentHashMap.newKeySet();
  private final Map<String, CompletableFuture<Optional<Principal>>> verifying = new ConcurrentHashMap<>();
  private final Semaphore hashing = new Semaphore(Runtime.getRuntime().availableProcessors());

  private CredentialStore(Map<String, Entry> users) {
    this(users, PasswordHash::matches);
  }

  private CredentialStore(Map<String, Entry> users, BiPredicate<char[], String> matches) {
    this.users = Map.copyOf(users);
    this.matches = matches;
  }

  /** With another password check, e.g. one that counts its calls. */
  CredentialStore withPasswordCheck(BiPredicate<char[], String> check) {
    return new CredentialStore(users, check);
  }

  public static CredentialStore load(Path file) throws IOException {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    }
    Map<String, Entry> users = new HashMap<>();
    for (String username : properties.stringPropertyNames()) {
      String line = properties.getProperty(username).trim();
      String[] parts = line.split(":", 3);
      if (parts.length != 3 || !ORG.matcher(parts[0]).matches() || !PasswordHash.isHash(parts[2])) {
        throw new IllegalArgumentException("credentials file " + file + ": user '" + username
            + "' must be org:staffId:pbkdf2-sha256:<iterations>:<salt>:<hash>");
      }
      long staffId;
      try {
        staffId = Long.parseLong(parts[1]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("credentials file " + file + ": user '" + username
            + "' has a staff id that is not a number: " + parts[1]);
      }
      users.put(username, new Entry(parts[0], staffId, parts[2]));
    }
    if (users.isEmpty()) {
      throw new IllegalArgumentException("credentials file " + file + " names no user");
    }
    return new CredentialStore(users);
  }

  /** One user: for the embedded default's demo org and for tests. */
  public static CredentialStore of(String username, String password, String orgId, long staffId) {
    return new CredentialStore(Map.of(username, new Entry(orgId, staffId, PasswordHash.hash(password.toCharArray()))));
  }

  public CredentialStore with(String username, String password, String orgId, long staffId) {
    Map<String, Entry> more = new HashMap<>(users);
    more.put(username, new Entry(orgId, staffId, PasswordHash.hash(password.toCharArray())));
    return new CredentialStore(more);
  }

  /** The caller of an {@code Authorization: Basic ...} header, if its credentials are right. */
  public Optional<Principal> authenticate(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    String fingerprint = sha256(authorization);
    Principal known = verified.get(fingerprint);
    if (known != null) {
      return Optional.of(known);
    }
    if (refused.contains(fingerprint)) {
      return Optional.empty();
    }
    CompletableFuture<Optional<Principal>> mine = new CompletableFuture<>();
    CompletableFuture<Optional<Principal>> running = verifying.putIfAbsent(fingerprint, mine);
    if (running != null) {
      return running.join();
    }
    try {
      Optional<Principal> principal = verify(authorization);
      if (verified.size() + refused.size() < MAX_REMEMBERED) {
        principal.ifPresentOrElse(p -> verified.put(fingerprint, p), () -> refused.add(fingerprint));
      }
      mine.complete(principal);
      return principal;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      verifying.remove(fingerprint, mine);
    }
  }

  private Optional<Principal> verify(String authorization) {
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    // PBKDF2's HMAC pads its key with zero bytes, so "secret\0" would verify as "secret".
    if (colon < 0 || decoded.indexOf('\0') >= 0) {
      return Optional.empty();
    }
    String username = decoded.substring(0, colon);
    Entry entry = users.get(username);
    if (entry == null) {
      return Optional.empty();
    }
    hashing.acquireUninterruptibly();
    try {
      if (!matches.test(decoded.substring(colon + 1).toCharArray(), entry.hash())) {
        return Optional.empty();
      }
    } finally {
      hashing.release();
    }
    return Optional.of(new Principal(username, entry.orgId(), entry.staffId()));
  }

  private static String sha256(String text) {
    try {
      return Base64.getEncoder().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
