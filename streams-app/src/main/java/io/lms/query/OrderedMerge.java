package io.lms.query;

import io.lms.domain.RunAll;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * One walk over several index ranges, each in key order, in the order of what follows each range's
 * prefix. A search without a status filter merges its statuses this way (by lastUpdatedOn then id,
 * or by id), so no index has to hold every lead a second time. Closes the ranges it was given.
 */
final class OrderedMerge<V> implements AutoCloseable {
  private final boolean descending;
  private final List<KeyValueIterator<String, V>> ranges = new ArrayList<>();
  private final List<Integer> prefixLengths = new ArrayList<>();
  // The next entry of each range, null once the range is done.
  private final List<KeyValue<String, V>> heads = new ArrayList<>();

  OrderedMerge(boolean descending) {
    this.descending = descending;
  }

  /** Adds a range whose keys all start with {@code prefix}; it is closed with this merge. */
  void add(String prefix, KeyValueIterator<String, V> range) {
    ranges.add(range);
    prefixLengths.add(prefix.length());
    heads.add(range.hasNext() ? range.next() : null);
  }

  /** The next entry over all ranges, or null when they are all done. */
  KeyValue<String, V> next() {
    int best = -1;
    for (int i = 0; i < heads.size(); i++) {
      KeyValue<String, V> head = heads.get(i);
      if (head != null && (best < 0 || comesFirst(head.key, prefixLengths.get(i),
          heads.get(best).key, prefixLengths.get(best)))) {
        best = i;
      }
    }
    if (best < 0) {
      return null;
    }
    KeyValue<String, V> next = heads.get(best);
    KeyValueIterator<String, V> range = ranges.get(best);
    heads.set(best, range.hasNext() ? range.next() : null);
    return next;
  }

  private boolean comesFirst(String key, int from, String other, int otherFrom) {
    int order = compareFrom(key, from, other, otherFrom);
    return descending ? order > 0 : order < 0;
  }

  static int compareFrom(String a, int aFrom, String b, int bFrom) {
    int aLength = a.length() - aFrom;
    int bLength = b.length() - bFrom;
    for (int i = 0; i < Math.min(aLength, bLength); i++) {
      int diff = a.charAt(aFrom + i) - b.charAt(bFrom + i);
      if (diff != 0) {
        return diff;
      }
    }
    return aLength - bLength;
  }

  @Override
  public void close() {
    RunAll.run(ranges.stream().map(range -> (Runnable) range::close).toList());
  }
}
