package io.lms.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One change to an encoded value, as a fuzzer makes them: a bit flipped, a byte set to a value
 * that means something to a varint or a union index, bytes inserted, deleted, repeated or cut off.
 * Positions wrap around the value's length, so any mutation applies to any value.
 *
 * <p>Jazzer mutates its own input, not the encoding that a target builds from it: these mutations
 * reach the bytes of a valid encoding that the fuzzer's input only describes.
 */
public record ByteMutation(Kind kind, int position, int length, byte value) {
  public enum Kind { FLIP_BIT, SET_BYTE, INSERT, DELETE, DUPLICATE, TRUNCATE }

  /** Bytes a binary decoder reads as small or huge varints, union branches or lengths. */
  public static final byte[] TELLING = {0x00, 0x01, 0x02, 0x03, 0x7F, (byte) 0x80, (byte) 0xFE, (byte) 0xFF};

  public static ByteMutation any(FuzzedDataProvider data) {
    Kind kind = data.pickValue(Kind.values());
    int position = data.consumeInt(0, Integer.MAX_VALUE);
    int length = data.consumeInt(1, 16);
    byte value = data.consumeBoolean() ? data.consumeByte() : data.pickValue(TELLING);
    return new ByteMutation(kind, position, length, value);
  }

  /** One to four mutations, applied in order. */
  public static List<ByteMutation> some(FuzzedDataProvider data) {
    int count = data.consumeInt(1, 4);
    List<ByteMutation> mutations = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      mutations.add(any(data));
    }
    return mutations;
  }

  public static byte[] applyAll(List<ByteMutation> mutations, byte[] in) {
    byte[] out = in;
    for (ByteMutation mutation : mutations) {
      out = mutation.applyTo(out);
    }
    return out;
  }

  public byte[] applyTo(byte[] in) {
    int at = in.length == 0 ? 0 : position % in.length;
    switch (kind) {
      case FLIP_BIT -> {
        byte[] out = in.clone();
        if (out.length > 0) {
          out[at] ^= (byte) (1 << (length % 8));
        }
        return out;
      }
      case SET_BYTE -> {
        byte[] out = in.clone();
        if (out.length > 0) {
          out[at] = value;
        }
        return out;
      }
      case INSERT -> {
        byte[] inserted = new byte[length];
        Arrays.fill(inserted, value);
        return splice(in, at, 0, inserted);
      }
      case DELETE -> {
        return splice(in, at, Math.min(length, in.length - at), new byte[0]);
      }
      case DUPLICATE -> {
        return splice(in, at, 0, Arrays.copyOfRange(in, at, Math.min(in.length, at + length)));
      }
      default -> {
        return Arrays.copyOf(in, at);
      }
    }
  }

  private static byte[] splice(byte[] in, int at, int remove, byte[] insert) {
    byte[] out = new byte[in.length - remove + insert.length];
    System.arraycopy(in, 0, out, 0, at);
    System.arraycopy(insert, 0, out, at, insert.length);
    System.arraycopy(in, at + remove, out, at + insert.length, in.length - at - remove);
    return out;
  }
}
