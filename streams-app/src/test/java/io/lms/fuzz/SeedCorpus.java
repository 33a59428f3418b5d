package io.lms.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The committed seeds of a fuzz target: the files under
 * {@code src/test/resources/<package>/<TestClass>Inputs/<method>/} whose names start with
 * {@code seed-}, which Jazzer replays in every build and starts from when it fuzzes. Other files
 * there (Jazzer's {@code crash-*} findings) are left alone.
 *
 * <p>A seed is written through the target's own reader ({@link SeedEncoder}) and read back with
 * Jazzer's provider before it is kept: it must read as the same input. With
 * {@code -Dlms.fuzz.writeSeeds=true} the seed tests write the files; without it they check that
 * the committed files are exactly those, so that a reader changed without new seeds fails a test.
 */
public final class SeedCorpus {
  public static final String WRITE_PROPERTY = "lms.fuzz.writeSeeds";
  private static final Path RESOURCES = Path.of("src", "test", "resources");

  /** A seed file: its name and its bytes, and the input it reads as, for the messages. */
  public record Seed(String name, byte[] bytes, String input) {}

  private SeedCorpus() {}

  /** Runs the reader over the encoder and checks that Jazzer's provider reads the result the same. */
  public static <T> Seed seed(String name, SeedEncoder encoder, Function<FuzzedDataProvider, T> reader) {
    String input = String.valueOf(reader.apply(encoder));
    byte[] bytes = encoder.toBytes();
    FuzzedDataProvider jazzer = JazzerProvider.over(bytes);
    assertThat(String.valueOf(reader.apply(jazzer))).as("seed %s (%s) read by Jazzer", name,
        HexFormat.of().formatHex(bytes)).isEqualTo(input);
    return new Seed(name, bytes, input);
  }

  /**
   * Jazzer's own provider, in a class loader of its own. It needs Jazzer's bootstrap jar, which
   * only Jazzer's agent puts on the boot class path, and that agent must be installed by the first
   * fuzz test of the JVM with the settings of its mode, not by this test with none.
   */
  private static final class JazzerProvider {
    private static final String PROVIDER = "com.code_intelligence.jazzer.driver.FuzzedDataProviderImpl";
    private static final Method WITH_JAVA_DATA = load();

    static FuzzedDataProvider over(byte[] bytes) {
      try {
        return (FuzzedDataProvider) WITH_JAVA_DATA.invoke(null, (Object) bytes);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }

    private static Method load() {
      try {
        ClassLoader app = SeedCorpus.class.getClassLoader();
        URL provider = app.getResource(PROVIDER.replace('.', '/') + ".class");
        URL jazzerJar = ((JarURLConnection) provider.openConnection()).getJarFileURL();
        Path bootstrap = Files.createTempFile("jazzer-bootstrap-", ".jar");
        bootstrap.toFile().deleteOnExit();
        try (InputStream in = app.getResourceAsStream("com/code_intelligence/jazzer/runtime/jazzer_bootstrap.jar")) {
          Files.copy(in, bootstrap, StandardCopyOption.REPLACE_EXISTING);
        }
        ClassLoader own = new JazzerFirst(new URL[] {jazzerJar, bootstrap.toUri().toURL()}, app);
        return Class.forName(PROVIDER, true, own).getMethod("withJavaData", byte[].class);
      } catch (IOException | ReflectiveOperationException e) {
        throw new IllegalStateException("cannot load Jazzer's provider", e);
      }
    }
  }

  /** Loads Jazzer's classes itself, all but its API, which the targets and this class share. */
  private static final class JazzerFirst extends URLClassLoader {
    JazzerFirst(URL[] urls, ClassLoader parent) {
      super(urls, parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith("com.code_intelligence.jazzer.") || name.startsWith("com.code_intelligence.jazzer.api.")) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        return loaded != null ? loaded : findClass(name);
      }
    }
  }

  /** The inputs directory that Jazzer reads for this target and writes its findings into. */
  public static Path inputs(Class<?> testClass, String method) {
    Path dir = RESOURCES;
    for (String segment : testClass.getPackageName().split("\\.")) {
      dir = dir.resolve(segment);
    }
    return dir.resolve(testClass.getSimpleName() + "Inputs").resolve(method);
  }

  /** Writes the seeds (with {@code -Dlms.fuzz.writeSeeds=true}) or checks that they are the committed ones. */
  public static void writeOrCheck(Class<?> testClass, String method, List<Seed> seeds) {
    Path dir = inputs(testClass, method);
    try {
      if (Boolean.getBoolean(WRITE_PROPERTY)) {
        Files.createDirectories(dir);
        for (Path old : committed(dir).keySet().stream().map(dir::resolve).toList()) {
          Files.delete(old);
        }
        for (Seed seed : seeds) {
          Files.write(dir.resolve(seed.name()), seed.bytes());
        }
        return;
      }
      Map<String, String> expected = seeds.stream()
          .collect(Collectors.toMap(Seed::name, seed -> HexFormat.of().formatHex(seed.bytes()), (a, b) -> a, TreeMap::new));
      assertThat(committed(dir)).as("the seeds in %s: a reader or a seed list changed; run the seed tests "
          + "with -D%s=true and commit the files (README, Fuzzing)", dir, WRITE_PROPERTY).isEqualTo(expected);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, String> committed(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return files;
    }
    try (Stream<Path> list = Files.list(dir)) {
      for (Path file : list.filter(file -> file.getFileName().toString().startsWith("seed-")).toList()) {
        files.put(file.getFileName().toString(), HexFormat.of().formatHex(Files.readAllBytes(file)));
      }
    }
    return files;
  }
}
