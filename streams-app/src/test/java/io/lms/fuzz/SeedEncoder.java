package io.lms.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Random;

/**
 * Writes a fuzzer input: a {@link FuzzedDataProvider} that answers every call itself (the first
 * numbers from a script, the rest from a seeded {@link Random}) and records the bytes from which
 * Jazzer's own provider reads the same answers. A target's reader run over an encoder thus yields
 * both an input value and the seed file that replays it.
 *
 * <p>It mirrors Jazzer 0.30's native provider ({@code fuzzed_data_provider.cpp}): numbers are read
 * from the end of the input, most significant byte first, as few bytes as the range needs, and
 * brought into range by a modulo; byte arrays and strings from the front; a string is modified
 * UTF-8 that ends at its maximum length or at a single backslash (a doubled one stands for one),
 * which takes the byte after it along. {@link SeedCorpus} reads every seed back with Jazzer's
 * provider, so a change of that format fails a test rather than leaving seeds that mean nothing.
 */
public final class SeedEncoder implements FuzzedDataProvider {
  private static final long[] EDGES = {Long.MIN_VALUE, Long.MAX_VALUE, -1, 0, 1, Integer.MIN_VALUE, Integer.MAX_VALUE};

  private final Random random;
  private final Deque<Long> script;
  private final ByteArrayOutputStream front = new ByteArrayOutputStream();
  /** Bytes read from the end, in the order they are read. */
  private final ByteArrayOutputStream back = new ByteArrayOutputStream();
  private boolean closed;

  /** Numbers from the script first (each must lie in the range asked for), then from the seed. */
  public SeedEncoder(long seed, List<Long> script) {
    this.random = new Random(seed);
    this.script = new ArrayDeque<>(script);
  }

  public SeedEncoder(long seed) {
    this(seed, List.of());
  }

  /** The input that Jazzer's provider reads as the answers given so far. */
  public byte[] toBytes() {
    byte[] tail = back.toByteArray();
    byte[] out = new byte[front.size() + tail.length];
    System.arraycopy(front.toByteArray(), 0, out, 0, front.size());
    for (int i = 0; i < tail.length; i++) {
      out[out.length - 1 - i] = tail[i];
    }
    return out;
  }

  // ---- numbers, from the end

  private long choose(long min, long max) {
    Long scripted = script.poll();
    if (scripted != null) {
      if (scripted < min || scripted > max) {
        throw new IllegalArgumentException("scripted " + scripted + " outside [" + min + ", " + max + "]");
      }
      return scripted;
    }
    if (min == Long.MIN_VALUE && max == Long.MAX_VALUE) {
      return random.nextInt(4) == 0 ? EDGES[random.nextInt(EDGES.length)] : random.nextLong();
    }
    double range = BigInteger.valueOf(max).subtract(BigInteger.valueOf(min)).doubleValue() + 1;
    return Math.min(max, min + (long) (random.nextDouble() * range));
  }

  /** Writes the bytes from which {@code ConsumeIntegralInRange<T>(min, max)} reads value. */
  private void writeInRange(int bits, long min, long max, long value) {
    ensureOpen();
    BigInteger range = BigInteger.valueOf(max).subtract(BigInteger.valueOf(min));
    int bytes = 0;
    while (bytes * 8 < bits && range.shiftRight(bytes * 8).signum() > 0) {
      bytes++;
    }
    BigInteger limit = BigInteger.ONE.shiftLeft(8 * bytes);
    BigInteger step = range.add(BigInteger.ONE);
    // The value itself where it reads as itself, else the first raw value that wraps onto it.
    BigInteger plain = BigInteger.valueOf(value);
    if (plain.signum() >= 0 && plain.compareTo(limit) < 0 && read(bits, min, max, plain) == value) {
      writeRaw(plain, bytes);
      return;
    }
    for (BigInteger raw = BigInteger.valueOf(value).subtract(BigInteger.valueOf(min)); raw.compareTo(limit) < 0;
        raw = raw.add(step)) {
      if (read(bits, min, max, raw) == value) {
        writeRaw(raw, bytes);
        return;
      }
    }
    throw new IllegalStateException("no input reads as " + value + " in [" + min + ", " + max + "]");
  }

  /** What the native provider answers for these raw bytes. */
  private static long read(int bits, long min, long max, BigInteger raw) {
    long asT = signExtend(raw.longValue(), bits);
    if (asT >= min && asT <= max) {
      return asT;
    }
    BigInteger range = BigInteger.valueOf(max).subtract(BigInteger.valueOf(min));
    return signExtend(BigInteger.valueOf(min).add(raw.mod(range.add(BigInteger.ONE))).longValue(), bits);
  }

  private static long signExtend(long value, int bits) {
    return bits == 64 ? value : (value << (64 - bits)) >> (64 - bits);
  }

  private void writeRaw(BigInteger raw, int bytes) {
    for (int i = bytes - 1; i >= 0; i--) {
      back.write(raw.shiftRight(8 * i).intValue() & 0xFF);
    }
  }

  @Override
  public int consumeInt(int min, int max) {
    int value = (int) choose(min, max);
    writeInRange(32, min, max, value);
    return value;
  }

  @Override
  public long consumeLong(long min, long max) {
    long value = choose(min, max);
    writeInRange(64, min, max, value);
    return value;
  }

  @Override
  public int consumeInt() {
    int value = (int) choose(Integer.MIN_VALUE, Integer.MAX_VALUE);
    writeRaw(BigInteger.valueOf(value & 0xFFFFFFFFL), 4);
    return value;
  }

  @Override
  public long consumeLong() {
    long value = choose(Long.MIN_VALUE, Long.MAX_VALUE);
    writeRaw(new BigInteger(Long.toUnsignedString(value)), 8);
    return value;
  }

  @Override
  public byte consumeByte() {
    byte value = (byte) choose(Byte.MIN_VALUE, Byte.MAX_VALUE);
    writeRaw(BigInteger.valueOf(value & 0xFF), 1);
    return value;
  }

  @Override
  public boolean consumeBoolean() {
    boolean value = choose(0, 1) == 1;
    writeRaw(BigInteger.valueOf(value ? 1 : 0), 1);
    return value;
  }

  // ---- bytes and text, from the front

  @Override
  public byte[] consumeBytes(int maxLength) {
    ensureOpen();
    byte[] bytes = new byte[maxLength];
    random.nextBytes(bytes);
    front.writeBytes(bytes);
    return bytes;
  }

  /** The rest of the input as a body: it must be the last thing a reader takes. */
  @Override
  public byte[] consumeRemainingAsBytes() {
    byte[] bytes = new byte[random.nextInt(5) == 0 ? random.nextInt(2_000) : random.nextInt(120)];
    random.nextBytes(bytes);
    return remaining(bytes);
  }

  /** Makes this body the rest of the input: it must be the last thing a reader takes. */
  public byte[] remaining(byte[] bytes) {
    ensureOpen();
    front.writeBytes(bytes);
    closed = true;
    return bytes;
  }

  @Override
  public String consumeString(int maxLength) {
    return writeString(randomText(maxLength, false), maxLength);
  }

  @Override
  public String consumeAsciiString(int maxLength) {
    return writeString(randomText(maxLength, true), maxLength);
  }

  /** Writes text that {@code consumeString(maxLength)} reads back whole. */
  public String writeString(String text, int maxLength) {
    ensureOpen();
    if (text.length() > maxLength) {
      throw new IllegalArgumentException("longer than " + maxLength + ": " + text);
    }
    if (maxLength == 0) {
      return text;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        front.write('\\');
        front.write('\\');
      } else if (c == 0) {
        front.write(0); // the provider itself writes the two-byte form of NUL
      } else {
        front.writeBytes(modifiedUtf8(c));
      }
    }
    if (text.length() < maxLength) {
      front.write('\\');
      front.write('.');
    }
    return text;
  }

  private static byte[] modifiedUtf8(char c) {
    if (c < 0x80) {
      return new byte[] {(byte) c};
    }
    if (c < 0x800) {
      return new byte[] {(byte) (0xC0 | c >> 6), (byte) (0x80 | c & 0x3F)};
    }
    // Surrogates too are coded one by one on three bytes (CESU-8), as the provider reads them.
    return new byte[] {(byte) (0xE0 | c >> 12), (byte) (0x80 | c >> 6 & 0x3F), (byte) (0x80 | c & 0x3F)};
  }

  /** Mostly ASCII, some Latin, CJK and characters beyond the BMP; never a lone surrogate. */
  private String randomText(int maxLength, boolean ascii) {
    int length = random.nextInt(Math.min(maxLength, 40) + 1);
    StringBuilder text = new StringBuilder();
    while (text.length() < length) {
      int kind = ascii ? 0 : random.nextInt(8);
      int codePoint = switch (kind) {
        case 5 -> 0xA0 + random.nextInt(0x700);
        case 6 -> 0x3000 + random.nextInt(0x6000);
        case 7 -> 0x1F300 + random.nextInt(0x300);
        default -> random.nextInt(0x80);
      };
      if (text.length() + Character.charCount(codePoint) > length) {
        codePoint = 'a' + random.nextInt(26);
      }
      text.appendCodePoint(codePoint);
    }
    return text.toString();
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("nothing may be read after the rest of the input");
    }
  }

  // ---- not used by the targets: a new use needs its encoding here first

  @Override
  public int remainingBytes() {
    throw unsupported();
  }

  @Override
  public String consumeRemainingAsString() {
    throw unsupported();
  }

  @Override
  public String consumeRemainingAsAsciiString() {
    throw unsupported();
  }

  @Override
  public boolean[] consumeBooleans(int maxLength) {
    throw unsupported();
  }

  @Override
  public byte consumeByte(byte min, byte max) {
    throw unsupported();
  }

  @Override
  public short consumeShort() {
    throw unsupported();
  }

  @Override
  public short consumeShort(short min, short max) {
    throw unsupported();
  }

  @Override
  public short[] consumeShorts(int maxLength) {
    throw unsupported();
  }

  @Override
  public int[] consumeInts(int maxLength) {
    throw unsupported();
  }

  @Override
  public long[] consumeLongs(int maxLength) {
    throw unsupported();
  }

  @Override
  public float consumeFloat() {
    throw unsupported();
  }

  @Override
  public float consumeRegularFloat() {
    throw unsupported();
  }

  @Override
  public float consumeRegularFloat(float min, float max) {
    throw unsupported();
  }

  @Override
  public float consumeProbabilityFloat() {
    throw unsupported();
  }

  @Override
  public double consumeDouble() {
    throw unsupported();
  }

  @Override
  public double consumeRegularDouble() {
    throw unsupported();
  }

  @Override
  public double consumeRegularDouble(double min, double max) {
    throw unsupported();
  }

  @Override
  public double consumeProbabilityDouble() {
    throw unsupported();
  }

  @Override
  public char consumeChar() {
    throw unsupported();
  }

  @Override
  public char consumeChar(char min, char max) {
    throw unsupported();
  }

  @Override
  public char consumeCharNoSurrogates() {
    throw unsupported();
  }

  private static UnsupportedOperationException unsupported() {
    return new UnsupportedOperationException("SeedEncoder writes only what the fuzz targets read");
  }
}
