package io.lms.connect.pipeline;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.provider.ConfigProvider;

/**
 * Stands in for Kafka's {@code EnvVarConfigProvider} in a worker that runs inside the test JVM,
 * whose environment cannot be set: the connector files say {@code ${env:LMS_ANALYTICS_JDBC_URL}},
 * a production worker reads it from its environment, the test's worker from here.
 */
public final class TestEnvironment implements ConfigProvider {
  private static final Map<String, String> VARIABLES = new ConcurrentHashMap<>();

  static void set(Map<String, String> variables) {
    VARIABLES.clear();
    VARIABLES.putAll(variables);
  }

  @Override
  public void configure(Map<String, ?> configs) {}

  @Override
  public ConfigData get(String path) {
    return new ConfigData(Map.copyOf(VARIABLES));
  }

  @Override
  public ConfigData get(String path, Set<String> keys) {
    Map<String, String> values = new HashMap<>();
    for (String key : keys) {
      String value = VARIABLES.get(key);
      if (value == null) {
        throw new IllegalArgumentException("The test sets no variable " + key);
      }
      values.put(key, value);
    }
    return new ConfigData(values);
  }

  @Override
  public void close() {}
}
