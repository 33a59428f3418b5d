package io.lms.query;

import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The answer of an interactive query. The HTTP layer maps it to 200, a forward to the owner,
 * 404 or 503: it never has to know about stores or rebalances.
 */
public sealed interface QueryResult<T> {
  /** The data, read from a store this instance owns. */
  record Found<T>(T value) implements QueryResult<T> {
    public Found {
      Objects.requireNonNull(value, "value");
    }
  }

  /** This instance owns the data and it does not exist. */
  record NotFound<T>() implements QueryResult<T> {}

  /** Another instance owns the data. */
  record Elsewhere<T>(HostInfo owner) implements QueryResult<T> {}

  /** Nobody can answer now (restoring, rebalancing, not started): retry later. */
  record Unavailable<T>(String reason) implements QueryResult<T> {}

  default <R> QueryResult<R> map(Function<T, R> mapper) {
    if (this instanceof Found<T> found) {
      return new Found<>(mapper.apply(found.value()));
    }
    @SuppressWarnings("unchecked")
    QueryResult<R> same = (QueryResult<R>) this;
    return same;
  }
}
