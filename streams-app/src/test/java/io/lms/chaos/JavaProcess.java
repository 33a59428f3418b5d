package io.lms.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM with its output appended to a log file, and the signals a chaos run sends it:
 * SIGKILL, SIGSTOP/SIGCONT and SIGTERM. Every start appends to the same log, so one file tells the
 * whole life of an instance across its restarts.
 */
final class JavaProcess implements Killable {
  /** Small heaps and one JIT/GC thread, so that a broker and four apps share two cores. */
  private static final List<String> JVM_OPTIONS = List.of(
      "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1",
      "-Djava.net.preferIPv4Stack=true");

  private final String name;
  private final List<String> arguments;
  private final Map<String, String> environment;
  private final Path log;
  private Process process;

  JavaProcess(String name, List<String> arguments, Map<String, String> environment, Path log) {
    this.name = name;
    this.arguments = List.copyOf(arguments);
    this.environment = Map.copyOf(environment);
    this.log = log;
  }

  String name() {
    return name;
  }

  Path log() {
    return log;
  }

  synchronized void start() {
    if (isAlive()) {
      throw new IllegalStateException(name + " is already running");
    }
    List<String> command = new ArrayList<>();
    // A session of its own: a SIGSTOP of this process must not make the test's own process group
    // an orphaned group with a stopped member, which the kernel answers with SIGHUP to the group,
    // Maven included. setsid execs in place, so the pid is still the JVM's.
    command.add("setsid");
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_OPTIONS);
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(environment);
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  synchronized long pid() {
    return process.pid();
  }

  /** SIGKILL: no shutdown hook, no flush, open transactions left open. */
  @Override
  public synchronized void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited in time. */
  synchronized void stop(Duration grace) throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  /** SIGSTOP: the JVM freezes with its sockets open, as a long GC pause or a stalled VM would. */
  synchronized void pause() throws InterruptedException {
    signal("-STOP");
  }

  /** SIGCONT. */
  synchronized void resume() throws InterruptedException {
    signal("-CONT");
  }

  private void signal(String signal) throws InterruptedException {
    if (process == null || !process.isAlive()) {
      return;
    }
    try {
      Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
