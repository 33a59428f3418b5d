package io.lms.runtime;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The raw text of each setting, taken from the environment, else the config file, else the code
 * default, and typed conversions whose failures name the setting, where its value came from and
 * the value itself, so an operator can fix it without reading code.
 *
 * <p>A blank value counts as unset: compose files and shell scripts often write {@code FOO=} to
 * mean "no value".
 */
final class SettingSources {
  private final Map<String, String> fileProps;
  private final Map<String, String> env;

  SettingSources(Map<String, String> fileProps, Map<String, String> env) {
    this.fileProps = Map.copyOf(fileProps);
    this.env = Map.copyOf(env);
  }

  /** A raw value and a description of where it came from, for error messages. */
  record Raw(Setting setting, String text, String origin) {
    InvalidSettingException invalid(String why) {
      return new InvalidSettingException(
          "Invalid " + origin + ": \"" + text + "\" " + why);
    }
  }

  Optional<Raw> raw(Setting setting) {
    String fromEnv = env.get(setting.env());
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Optional.of(new Raw(setting, fromEnv.trim(), "environment variable " + setting.env()));
    }
    String fromFile = fileProps.get(setting.property());
    if (fromFile != null && !fromFile.isBlank()) {
      return Optional.of(
          new Raw(setting, fromFile.trim(), "property " + setting.property() + " in the config file"));
    }
    return setting.defaultValue().map(d -> new Raw(setting, d, "default of " + setting.env()));
  }

  Optional<String> optionalText(Setting setting) {
    return raw(setting).map(Raw::text);
  }

  String text(Setting setting) {
    return required(setting).text();
  }

  String name(Setting setting) {
    Raw raw = required(setting);
    if (!raw.text().matches("[a-zA-Z0-9._-]+")) {
      throw raw.invalid("may only contain letters, digits, '.', '_' and '-' (it becomes part of topic names)");
    }
    return raw.text();
  }

  /** An optional name that Kafka takes as a client or member id: the charset and length Kafka allows. */
  Optional<String> optionalName(Setting setting) {
    Optional<Raw> raw = raw(setting);
    if (raw.isPresent() && (!raw.get().text().matches("[a-zA-Z0-9._-]+") || raw.get().text().length() > 200)) {
      throw raw.get().invalid("may only contain letters, digits, '.', '_' and '-', at most 200 of them");
    }
    return raw.map(Raw::text);
  }

  int integer(Setting setting, int min, int max) {
    Raw raw = required(setting);
    int value;
    try {
      value = Integer.parseInt(raw.text());
    } catch (NumberFormatException e) {
      throw raw.invalid("is not a whole number");
    }
    if (value < min || value > max) {
      throw raw.invalid("is out of range: expected " + min + " to " + max);
    }
    return value;
  }

  boolean bool(Setting setting) {
    Raw raw = required(setting);
    // Boolean.parseBoolean would read a typo such as "ture" as false, silently.
    return switch (raw.text().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw raw.invalid("is not true or false");
    };
  }

  ZoneId zone(Setting setting) {
    Raw raw = required(setting);
    try {
      return ZoneId.of(raw.text());
    } catch (DateTimeException e) {
      throw raw.invalid("is not a time zone id such as UTC or Asia/Kolkata");
    }
  }

  Optional<Duration> optionalDuration(Setting setting, Duration min) {
    return raw(setting).map(raw -> duration(raw, min));
  }

  Duration duration(Setting setting, Duration min) {
    return duration(required(setting), min);
  }

  private static Duration duration(Raw raw, Duration min) {
    Duration value;
    try {
      value = Duration.parse(raw.text());
    } catch (DateTimeParseException e) {
      throw raw.invalid("is not an ISO-8601 duration such as PT1M or P30D");
    }
    if (value.compareTo(min) < 0) {
      throw raw.invalid("is too short: expected at least " + min);
    }
    return value;
  }

  <T> T converted(Setting setting, Function<String, T> conversion, String expectation) {
    Raw raw = required(setting);
    try {
      return conversion.apply(raw.text());
    } catch (RuntimeException e) {
      throw raw.invalid(expectation);
    }
  }

  /** The settings of a pass-through family, by their Kafka key. */
  Map<String, String> passThrough(PassThrough family) {
    return family.read(fileProps, env);
  }

  private Raw required(Setting setting) {
    return raw(setting)
        .orElseThrow(() -> new IllegalStateException(setting + " has no default: read it as optional"));
  }
}
