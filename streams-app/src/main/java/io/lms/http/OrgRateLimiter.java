package io.lms.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per org: {@code ratePerSecond} requests a second on average, bursts of up to
 * {@code burst}. When empty, the caller is told how long until the next token.
 */
public final class OrgRateLimiter {
  private final double ratePerNano;
  private final double burst;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public OrgRateLimiter(double ratePerSecond, int burst) {
    if (ratePerSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("rate and burst must be positive");
    }
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = burst;
  }

  /** Takes a token for the org: 0 when granted, else the seconds to wait before retrying. */
  public long acquire(String orgId) {
    return buckets.computeIfAbsent(orgId, org -> new Bucket(burst, System.nanoTime())).take(System.nanoTime());
  }

  private final class Bucket {
    private double tokens;
    private long refilledAt;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.refilledAt = now;
    }

    synchronized long take(long now) {
      tokens = Math.min(burst, tokens + (now - refilledAt) * ratePerNano);
      refilledAt = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - tokens) / ratePerNano / 1e9));
    }
  }
}
