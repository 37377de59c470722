package aha.runs.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import picocli.CommandLine;

/**
 * Maps exceptions from commands to exit codes: problems with the user's input (bad files, values)
 * print one line and exit 2 (a {@link aha.problems.ProblemSetException} is an IOException and
 * names its file, line and field); anything else is a bug, printed with its stack trace, exit 1.
 */
final class CliErrors implements CommandLine.IExecutionExceptionHandler {
  static final int USER_ERROR = 2;
  static final int INTERNAL_ERROR = 1;

  @Override
  public int handleExecutionException(
      Exception exception, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    String message = userMessage(exception);
    if (message != null) {
      commandLine.getErr().println("aha: error: " + message);
      return USER_ERROR;
    }
    commandLine.getErr().println("aha: internal error (please report):");
    exception.printStackTrace(commandLine.getErr());
    return INTERNAL_ERROR;
  }

  /** Why a file operation failed, in words. */
  private static String reason(FileSystemException failed) {
    if (failed.getReason() != null) {
      return failed.getReason();
    }
    if (failed instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (failed instanceof FileAlreadyExistsException) {
      return "already exists (where a directory is needed, it is a file)";
    }
    if (failed instanceof NotDirectoryException) {
      return "not a directory";
    }
    return failed.getClass().getSimpleName();
  }

  /** The one-line message for an input problem, or null when the exception is a bug. */
  private static String userMessage(Throwable exception) {
    if (exception instanceof UncheckedIOException unchecked) {
      exception = unchecked.getCause();
    }
    if (exception instanceof NoSuchFileException missing) {
      return missing.getFile() + ": no such file";
    }
    if (exception instanceof FileSystemException failed && failed.getFile() != null) {
      // Java's own message is often the bare path; say what went wrong with it too
      return failed.getFile() + ": " + reason(failed);
    }
    if (exception instanceof IOException
        || exception instanceof UserInputException
        || exception instanceof IllegalArgumentException) {
      return exception.getMessage();
    }
    return null;
  }
}
