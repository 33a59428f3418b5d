package io.lms.cli;

import io.lms.http.PasswordHash;
import io.lms.runtime.InvalidSettingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lms hash-password}: a password hash for the credentials file. */
@Command(
    name = "hash-password",
    mixinStandardHelpOptions = true,
    description = {
      "Prints a password hash for the credentials file.",
      "",
      "The lines of the credentials file (LMS_CREDENTIALS_FILE) read <username> ="
          + " <org>:<staffId>:<hash>. The password is asked for on a terminal, else read from"
          + " standard input:",
      "  echo -n 'the password' | lms hash-password"
    })
final class HashPasswordCommand implements Callable<Integer> {
  @ParentCommand LmsCli parent;
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    char[] password = parent.console().isPresent()
        ? parent.console().get().readPassword("Password: ")
        : new String(parent.stdin().readAllBytes(), StandardCharsets.UTF_8).strip().toCharArray();
    if (password == null || password.length == 0) {
      throw new InvalidSettingException("No password given");
    }
    try {
      spec.commandLine().getOut().println(PasswordHash.hash(password));
    } finally {
      Arrays.fill(password, '\0');
    }
    return 0;
  }
}
