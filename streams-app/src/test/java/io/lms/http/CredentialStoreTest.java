package io.lms.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A password is hashed once per header, however many requests carry it at once. */
class CredentialStoreTest {
  private static final CredentialStore TILL = CredentialStore.of("till-42", "s3cret", "acme", 7);

  private final AtomicInteger hashed = new AtomicInteger();

  private CredentialStore counting(long millisPerHash) {
    return TILL.withPasswordCheck((password, hash) -> {
      hashed.incrementAndGet();
      sleep(millisPerHash);
      return PasswordHash.matches(password, hash);
    });
  }

  @Test
  void theRightPasswordIsHashedOnceAndRemembered() {
    CredentialStore store = counting(0);
    for (int i = 0; i < 3; i++) {
      assertThat(store.authenticate(basic("till-42", "s3cret")))
          .contains(new Principal("till-42", "acme", 7));
    }
    assertThat(hashed).hasValue(1);
  }

  @Test
  void aWrongPasswordIsHashedOnceAndRefusedEveryTime() {
    CredentialStore store = counting(0);
    for (int i = 0; i < 3; i++) {
      assertThat(store.authenticate(basic("till-42", "guess"))).isEmpty();
    }
    assertThat(hashed).hasValue(1);
    assertThat(store.authenticate(basic("till-42", "s3cret"))).isPresent();
    assertThat(hashed).hasValue(2);
  }

  @Test
  void requestsArrivingTogetherWithAnUnknownHeaderShareOneHash() throws Exception {
    CredentialStore store = counting(300);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Optional<Principal>>> answers = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        answers.add(pool.submit(() -> {
          start.await();
          return store.authenticate(basic("till-42", "s3cret"));
        }));
      }
      start.countDown();
      for (Future<Optional<Principal>> answer : answers) {
        assertThat(answer.get()).contains(new Principal("till-42", "acme", 7));
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(hashed).hasValue(1);
  }

  @Test
  void anUnknownUserOrAMalformedHeaderCostsNoHash() {
    CredentialStore store = counting(0);
    assertThat(store.authenticate(basic("nobody", "s3cret"))).isEmpty();
    assertThat(store.authenticate("Basic !!!")).isEmpty();
    assertThat(store.authenticate(basic("till-42", "s3cret\0"))).isEmpty();
    assertThat(store.authenticate("Bearer abc")).isEmpty();
    assertThat(hashed).hasValue(0);
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
