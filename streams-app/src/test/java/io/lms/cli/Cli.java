package io.lms.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs the CLI in-process, as a shell would, and keeps what it printed. */
record Cli(int exitCode, String out, String err) {

  static Cli run(Map<String, String> env, String... args) {
    return runWithInput(env, "", args);
  }

  static Cli runWithInput(Map<String, String> env, String stdin, String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    var cli = new LmsCli(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), null);
    int code = LmsCli.execute(cli, args, new PrintWriter(out), new PrintWriter(err));
    return new Cli(code, out.toString(), err.toString());
  }
}
