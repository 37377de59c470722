package aha.runs.cli;

import aha.runs.report.RunStory;
import aha.runs.store.Manifest;
import aha.runs.store.RunDirectory;
import java.io.IOException;
import java.io.PrintWriter;

/** What {@code --resume} does first, the same for {@code aha train} and {@code aha grpo}. */
final class Resumption {

  private Resumption() {}

  /**
   * Marks {@code run} as resumed now, unless it already finished: then it says so, prints the
   * run's story, changes nothing and returns false.
   *
   * @throws IOException when the manifest cannot be read or written
   */
  static boolean begin(RunDirectory run, PrintWriter out) throws IOException {
    Manifest manifest = Manifest.read(run.manifest());
    if ("finished".equals(manifest.status())) {
      out.printf("%s finished at %s; there is nothing to resume, and nothing was changed.%n%n",
          run.dir(), manifest.endedAt());
      out.print(RunStory.of(run));
      out.flush();
      return false;
    }
    manifest.resumedNow().write(run.manifest());
    out.println("resuming " + run.dir());
    return true;
  }
}
