package io.lms.runtime;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A family of settings passed straight through to Kafka: {@code <propertyPrefix><key>} in the config
 * file, {@code <envPrefix><KEY>} in the environment ({@code _} becomes {@code .}, lower case), the
 * environment winning.
 */
record PassThrough(String propertyPrefix, String envPrefix) {
  /** Kafka Streams properties: {@code LMS_STREAMS_CACHE_MAX_BYTES_BUFFERING}, {@code streams.cache.max.bytes.buffering}. */
  static final PassThrough STREAMS = new PassThrough("streams.", "LMS_STREAMS_");
  /** What every Kafka client of LMS takes: {@code LMS_KAFKA_SASL_MECHANISM}, {@code kafka.sasl.mechanism}. */
  static final PassThrough KAFKA_CLIENTS = new PassThrough("kafka.", "LMS_KAFKA_");

  /**
   * The keys and values of this family. A named setting whose name has the same prefix (such as
   * {@code kafka.bootstrap.servers}, KAFKA_BOOTSTRAP_SERVERS's property) is that setting, not a
   * pass-through: the two must not fight over one value.
   */
  Map<String, String> read(Map<String, String> fileProps, Map<String, String> env) {
    var result = new TreeMap<String, String>();
    fileProps.forEach(
        (name, value) -> {
          if (name.startsWith(propertyPrefix) && !Setting.isKnownProperty(name) && !value.isBlank()) {
            result.put(name.substring(propertyPrefix.length()), value.trim());
          }
        });
    env.forEach(
        (name, value) -> {
          if (name.startsWith(envPrefix) && !value.isBlank()) {
            result.put(name.substring(envPrefix.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value.trim());
          }
        });
    result.remove("");
    return result;
  }

  /** Both names of {@code key}, for messages: {@code LMS_KAFKA_SASL_MECHANISM / kafka.sasl.mechanism}. */
  String names(String key) {
    return envPrefix + key.toUpperCase(Locale.ROOT).replace('.', '_') + " / " + propertyPrefix + key;
  }
}
