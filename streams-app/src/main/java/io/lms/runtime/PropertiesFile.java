package io.lms.runtime;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** A Java properties file (UTF-8) read as a map, for the config file and a tool's Kafka client config. */
final class PropertiesFile {
  private PropertiesFile() {}

  /**
   * @param what the file's role, for the message when it cannot be read ("config file")
   * @throws InvalidSettingException when it cannot be read
   */
  static Map<String, String> read(Path file, String what) {
    var props = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(reader);
    } catch (IOException e) {
      throw new InvalidSettingException("Cannot read the " + what + " " + file.toAbsolutePath() + ": " + e);
    }
    Map<String, String> values = new HashMap<>();
    props.stringPropertyNames().forEach(name -> values.put(name, props.getProperty(name)));
    return values;
  }
}
