package io.lms.topology;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The decoded values of a store's most recently used keys, in front of a store that only the
 * command processor writes (and so always writes through {@link #put}): org sequences, read and
 * written by every command of an org, and reasons, read by most status changes. A store's own
 * cache keeps bytes, so every read through it decodes the value again. Belongs to one task's
 * processor and so to one thread.
 */
final class RecentValues<V> {
  private final Map<String, V> values;
  private final Function<String, V> load;

  /**
   * @param load reads a key from the store; a null (absent) value is not remembered
   */
  RecentValues(int capacity, Function<String, V> load) {
    this.load = load;
    this.values = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > capacity;
      }
    };
  }

  V get(String key) {
    V value = values.get(key);
    if (value == null) {
      value = load.apply(key);
      if (value != null) {
        values.put(key, value);
      }
    }
    return value;
  }

  /** Call with every value written to the store, after writing it. */
  void put(String key, V value) {
    if (value == null) {
      values.remove(key);
    } else {
      values.put(key, value);
    }
  }
}
