package io.lms.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.internals.StateStoreProvider;
import org.junit.jupiter.api.Test;

class ResolvedKeyValueStoreTypeTest {
  private final AtomicInteger lookups = new AtomicInteger();

  private StateStoreProvider providerOf(List<?> stores) {
    return new StateStoreProvider() {
      @Override
      @SuppressWarnings("unchecked")
      public <T> List<T> stores(String storeName, QueryableStoreType<T> type) {
        lookups.incrementAndGet();
        return (List<T>) stores;
      }

      @Override
      public IsolationLevel defaultIsolationLevel() {
        return IsolationLevel.READ_COMMITTED;
      }
    };
  }

  @Test
  void readsTheStoreItLookedUpOnceHoweverManyReadsFollow() {
    AtomicInteger gets = new AtomicInteger();
    ReadOnlyKeyValueStore<String, Object> store = new ReadOnlyKeyValueStore<>() {
      @Override
      public Object get(String key) {
        gets.incrementAndGet();
        return null;
      }

      @Override
      public KeyValueIterator<String, Object> range(String from, String to) {
        throw new UnsupportedOperationException();
      }

      @Override
      public KeyValueIterator<String, Object> all() {
        throw new UnsupportedOperationException();
      }

      @Override
      public long approximateNumEntries() {
        return 0;
      }
    };
    ReadOnlyKeyValueStore<String, Object> leads = new ResolvedKeyValueStoreType().create(providerOf(List.of(store)), "leads");

    for (int i = 0; i < 20; i++) {
      leads.get("acme/" + i);
    }

    assertThat(gets).hasValue(20);
    assertThat(lookups).hasValue(1);
  }

  @Test
  void anythingButOnePartitionsStoreIsUnavailable() {
    assertThatThrownBy(() -> new ResolvedKeyValueStoreType().create(providerOf(List.of()), "leads"))
        .isInstanceOf(InvalidStateStoreException.class);
  }
}
