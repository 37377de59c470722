package aha.runs.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.runs.dashboard.FakeRun;
import aha.runs.report.TypicalRun;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {

  private static final Pattern DATA_URI = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"");

  @TempDir Path root;

  @Test
  void writesOnePageWithTheChartsTheEvalTablesAndMarkedCompletions() throws IOException {
    Path html;
    try (FakeRun run = TypicalRun.create(root)) {
      CliRun cli = CliRun.of("report", run.dir().dir().toString(), "--width", "640", "--height", "300");
      assertEquals(0, cli.exitCode(), cli.err());
      html = run.dir().dir().resolve("report.html");
      assertTrue(cli.out().contains("written to " + html + " (5 charts)"), cli.out());
      // what could not be read is said, not fatal
      assertTrue(cli.err().contains("aha report: warning: ") && cli.err().contains("step-27.json"), cli.err());
    }
    String page = Files.readString(html);

    List<byte[]> pngs = embeddedPngs(page);
    assertEquals(5, pngs.size());
    for (byte[] png : pngs) {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
      assertNotNull(image, "not a PNG");
      assertEquals(640, image.getWidth());
      assertEquals(300, image.getHeight());
    }
    assertFalse(page.contains("http://") || page.contains("https://") || page.contains("<script"), "fetches or runs nothing");

    // the first eval report (GRPO step 0 = global step 20) beside the last (GRPO step 10)
    for (String cell :
        List.of(
            "<th>base · GRPO step 0</th><th>final · GRPO step 10</th><th>change</th>",
            "<td>pass@1 (greedy)</td><td>25.0%</td><td>37.5%</td><td>+12.5 pts</td>",
            "<td>pass@1 (sampled)</td><td>18.8%</td><td>31.3%</td><td>+12.5 pts</td>",
            "<td>pass@4</td><td>50.0%</td><td>62.5%</td><td>+12.5 pts</td>",
            "<td>maj@4</td><td>25.0%</td><td>37.5%</td><td>+12.5 pts</td>",
            "<td>truncated</td><td>6.3%</td><td>0.0%</td><td>-6.3 pts</td>",
            "<td>mean length</td><td>60.5</td><td>48.3</td><td>-12.3</td>",
            "<td>problems</td><td>8</td><td>8</td>",
            // per family; a null figure reads "-"
            "<td>addition</td><td>4</td><td>50.0% → 75.0%</td><td>37.5% → 62.5%</td>",
            "<td>linear</td><td>4</td><td>0.0% → 0.0%</td><td>- → -</td>",
            // three reports (the broken one skipped): every one gets a row
            "<h3>Every evaluation</h3>",
            "<tr><td>2</td><td>30.0%</td>")) {
      assertTrue(page.contains(cell), cell + " missing");
    }

    // text from the files is escaped, control characters replaced
    assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; What is 2 + 2?"));
    assertTrue(page.contains("<code>p&lt;b&gt;&amp;&quot;1&quot;</code>"));
    assertFalse(page.contains("\u0007"));
    assertTrue(page.contains("= 4.\uFFFD&lt;/think&gt;&lt;answer&gt;4&lt;/answer&gt;"));
    // reflections marked by the run's detector, aha moments named with the answer they replaced
    assertTrue(page.contains("14, <mark title=\"reflection marker: wait\">wait</mark>, 19 - 4 is 15"));
    assertTrue(page.contains("5. <mark title=\"reflection marker: hmm\">Hmm</mark>, no:"));
    assertTrue(page.contains("wrong → right: an aha moment</span> (answer before the reflection: <code>5</code>)"));
    assertTrue(page.contains("From GRPO step 10"));

    // written atomically: no temporary file left beside the page
    try (Stream<Path> files = Files.list(html.getParent())) {
      assertEquals(List.of(), files.filter(file -> file.getFileName().toString().endsWith(".tmp")).toList());
    }
  }

  @Test
  void pngWritesEachChartAsAFileTooAndOutputGoesWhereOSays() throws IOException {
    try (FakeRun run = TypicalRun.create(root)) {
      Path charts = root.resolve("img");
      Path html = root.resolve("shared").resolve("run.html");
      CliRun cli = CliRun.of(
          "report", run.dir().dir().toString(), "-o", html.toString(), "--png", charts.toString(), "--samples", "1");
      assertEquals(0, cli.exitCode(), cli.err());
      assertTrue(cli.out().contains("5 charts written to " + charts + " as PNG"), cli.out());
      assertFalse(Files.exists(run.dir().dir().resolve("report.html")), "-o replaces the default");

      String page = Files.readString(html);
      assertEquals(1, count(page, "<article class=\"sample\">"), "--samples 1");
      List<byte[]> embedded = embeddedPngs(page);
      List<String> names = List.of("accuracy", "length", "reflection", "transitions", "loss");
      for (int i = 0; i < names.size(); i++) {
        Path file = charts.resolve(names.get(i) + ".png");
        assertArrayEquals(embedded.get(i), Files.readAllBytes(file), file + " differs from the page's chart");
        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(900, image.getWidth());
        assertEquals(340, image.getHeight());
      }
      try (Stream<Path> files = Files.list(charts)) {
        assertEquals(names.size(), files.count(), "no temporary files left");
      }
    }
  }

  @Test
  void theSameRunGivesTheSamePage() throws IOException {
    try (FakeRun run = TypicalRun.create(root)) {
      Path a = root.resolve("a.html");
      Path b = root.resolve("b.html");
      assertEquals(0, CliRun.of("report", run.dir().dir().toString(), "-o", a.toString()).exitCode());
      assertEquals(0, CliRun.of("report", run.dir().dir().toString(), "-o", b.toString()).exitCode());
      assertEquals(Files.readString(a), Files.readString(b));
    }
  }

  @Test
  void aMissingOrNonRunDirectoryIsAnErrorThatNamesIt() throws IOException {
    Path missing = root.resolve("no-such-run");
    CliRun cli = CliRun.of("report", missing.toString());
    assertEquals(CliErrors.USER_ERROR, cli.exitCode());
    assertTrue(cli.err().contains(missing + ": no such run directory"), cli.err());

    Path plain = Files.createDirectories(root.resolve("plain"));
    cli = CliRun.of("report", plain.toString());
    assertEquals(CliErrors.USER_ERROR, cli.exitCode());
    assertTrue(cli.err().contains(plain + ": not a run directory (no manifest.json)"), cli.err());
    assertFalse(Files.exists(plain.resolve("report.html")));
  }

  @Test
  void badOptionsAreErrorsThatNameTheOption() throws IOException {
    try (FakeRun run = FakeRun.create(root, "20261128-183000-empty", "running")) {
      String dir = run.dir().dir().toString();
      CliRun cli = CliRun.of("report", dir, "--width", "50");
      assertEquals(CliErrors.USER_ERROR, cli.exitCode());
      assertTrue(cli.err().contains("--width and --height must be 200..4000 pixels, got 50 × 340"), cli.err());

      cli = CliRun.of("report", dir, "-o", root.toString());
      assertEquals(CliErrors.USER_ERROR, cli.exitCode());
      assertTrue(cli.err().contains(root + ": is a directory"), cli.err());

      // a run that has only started: a page that says so
      cli = CliRun.of("report", dir);
      assertEquals(0, cli.exitCode(), cli.err());
      assertTrue(cli.out().contains("(0 charts)"), cli.out());
    }
  }

  private static List<byte[]> embeddedPngs(String page) {
    List<byte[]> pngs = new ArrayList<>();
    Matcher matcher = DATA_URI.matcher(page);
    while (matcher.find()) {
      pngs.add(Base64.getDecoder().decode(matcher.group(1)));
    }
    return pngs;
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      n++;
    }
    return n;
  }
}
