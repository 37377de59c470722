package aha.runs.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks on the files a command is about to write, made before any work starts. */
final class OutputFiles {

  private OutputFiles() {}

  /**
   * Whether {@code a} and {@code b} name one file: compared after normalizing, and as files where
   * both exist, so a link or a relative path to a file counts as that file.
   */
  static boolean sameFile(Path a, Path b) throws IOException {
    return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())
        || (Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b));
  }

  /**
   * Refuses an output that is an input file ({@link #sameFile}): the input is the record of what
   * the output was made from, and a slip of an option should not cost it (nor the work of a long
   * sampling job).
   *
   * @param option how the user named the output, for the message: "-o" or "--train"
   * @param output the output, or null or "-" for standard output
   * @param inputName how the user knows the input: "the input file" or "the --problems file"
   */
  static void refuseInput(String option, Path output, String inputName, Path input)
      throws IOException {
    if (output == null || output.toString().equals("-")) {
      return;
    }
    if (sameFile(input, output)) {
      throw new UserInputException(
          option + " " + output + " is " + inputName + "; write to another file and keep the input");
    }
  }
}
