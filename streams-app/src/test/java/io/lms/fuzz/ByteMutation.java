package io.lms.fuzz;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * One change to an encoded value, as a fuzzer makes them: a bit flipped, a byte set to a value
 * that means something to a varint or a union index, bytes inserted, deleted, repeated or cut off.
 * Positions wrap around the value's length, so any mutation applies to any value.
 */
public record ByteMutation(Kind kind, int position, int length, byte value) {
  public enum Kind { FLIP_BIT, SET_BYTE, INSERT, DELETE, DUPLICATE, TRUNCATE }

  /** Bytes a binary decoder reads as small or huge varints, union branches or lengths. */
  private static final byte[] TELLING = {0x00, 0x01, 0x02, 0x03, 0x7F, (byte) 0x80, (byte) 0xFE, (byte) 0xFF};

  public static Arbitrary<ByteMutation> any() {
    Arbitrary<Byte> values = Arbitraries.oneOf(Arbitraries.bytes(), Arbitraries.of(
        TELLING[0], TELLING[1], TELLING[2], TELLING[3], TELLING[4], TELLING[5], TELLING[6], TELLING[7]));
    return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().greaterOrEqual(0),
        Arbitraries.integers().between(1, 16), values).as(ByteMutation::new);
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
