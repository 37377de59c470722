package aha.runs.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reading a run's eval reports {@code eval/step-N.json} (the JSON of {@code
 * aha.grpo.eval.EvalReport#toJson}). Lenient like {@link JsonLines}: an unreadable report is
 * skipped with a warning naming the file, never a crash, since a report being replaced or edited
 * by hand should not take a dashboard or a report page down.
 */
public final class EvalReports {

  private static final Pattern EVAL_FILE = Pattern.compile("step-(\\d+)\\.json");

  private EvalReports() {}

  /**
   * The reports of {@code run}, by step; each has a {@code "step"} (from its file name when the
   * JSON lacks one). A run without an eval folder has none.
   *
   * @param warn receives "FILE: skipped: reason" for each unreadable report
   */
  public static List<ObjectNode> read(RunDirectory run, Consumer<String> warn) throws IOException {
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(run.evalDir())) {
      try (Stream<Path> children = Files.list(run.evalDir())) {
        children.filter(file -> step(file) >= 0).forEach(files::add);
      }
    }
    files.sort(Comparator.comparingLong(EvalReports::step));
    List<ObjectNode> reports = new ArrayList<>();
    for (Path file : files) {
      if (run.leadsOutside(file)) {
        warn.accept(file + ": skipped: a link out of the runs root");
        continue;
      }
      try {
        JsonNode report = JsonLines.JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        if (report == null || !report.isObject()) {
          throw new IOException("not a JSON object");
        }
        ObjectNode object = (ObjectNode) report;
        if (!object.has("step")) {
          object.put("step", step(file));
        }
        reports.add(object);
      } catch (NoSuchFileException gone) {
        // replaced between listing and reading; the next read sees the new one
      } catch (IOException e) {
        String why = e instanceof JsonProcessingException json ? JsonLines.describe(json) : e.toString();
        warn.accept(file + ": skipped: " + why);
      }
    }
    return reports;
  }

  /** The N of {@code step-N.json}, or -1 for any other file. */
  private static long step(Path file) {
    Matcher matcher = EVAL_FILE.matcher(file.getFileName().toString());
    return matcher.matches() ? Long.parseLong(matcher.group(1)) : -1;
  }
}
