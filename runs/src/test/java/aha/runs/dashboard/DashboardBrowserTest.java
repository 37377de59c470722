package aha.runs.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (headless Chromium) during a live run: the charts draw, then
 * update as the run appends steps; the sample browser highlights reflection markers; pass rates
 * flag always-0 and always-1 problems; two runs overlay. Saves screenshots under {@code
 * target/screenshots/}.
 *
 * <p>Needs Debian's {@code chromium} and {@code chromium-driver} (or AHA_CHROMIUM and
 * AHA_CHROMEDRIVER naming others). Without them the test fails, so that CI cannot pass without
 * having looked; AHA_SKIP_BROWSER=1 skips it on a machine that has no browser (never where CI
 * is set).
 */
@Tag("slow")
class DashboardBrowserTest {

  private static final String LIVE = "20261128-183000-smoke";
  private static final String OTHER = "20261127-090000-baseline";
  private static final String PRETRAIN = "20261126-080000-base";
  private static final List<String> CHARTS =
      List.of("reward", "length", "aha", "policy", "clip", "optim", "speed", "time", "eval");

  @TempDir Path root;

  @Test
  void chartsDrawAndUpdateDuringALiveRun() throws IOException {
    long started = System.nanoTime();
    chromeDriverOrFail();
    try (FakeRun live = FakeRun.create(root, LIVE, "running");
        FakeRun other = FakeRun.create(root, OTHER, "finished");
        FakeRun pretrain = FakeRun.create(root, PRETRAIN, "finished");
        Dashboard dashboard =
            Dashboard.start(DashboardOptions.of(root, "127.0.0.1", 0).withPollMillis(200))) {
      for (long step = 1; step <= 8; step++) {
        live.metric(step);
        live.samples(step, "p-hard", false, false).samples(step, "p-easy", true, true);
      }
      live.rawMetrics("{\"step\": 9, \"torn\n"); // a hand edit gone wrong: skipped, shown
      // the evaluation before the first GRPO step: step 0, drawn although no metrics line has it
      live.evalReport(0, "{\"step\": 0, \"problems\": 8, \"samples\": 4, \"pass@1_greedy\": 0.25,"
          + " \"pass@1\": 0.2, \"pass@4\": 0.5, \"by_family\": {\"linear\": {\"problems\": 8,"
          + " \"pass@1_greedy\": 0.25, \"pass@1\": 0.2}}}");
      for (long step = 1; step <= 30; step++) {
        other.metric(step);
        pretrain.pretrainMetric(step);
      }
      live.live(9, 300); // training goes on while the browser watches
      WebDriver browser = new ChromeDriver(chromeOptions());
      try {
        String base = dashboard.url();
        JavascriptExecutor js = (JavascriptExecutor) browser;

        // the run page: every chart draws from the stream's first event
        browser.get(base + "run.html?run=" + LIVE);
        waitFor(browser, Duration.ofSeconds(20), "the charts to draw", () -> {
          for (String chart : CHARTS) {
            if (points(js, chart) == 0) {
              return false;
            }
          }
          return points(js, "reward") >= 8;
        });
        // the series are coloured, axes, grid and text are grey: count coloured pixels
        long linePixels =
            ((Number)
                    js.executeScript(
                        "const c = document.querySelector('#chart-reward canvas');"
                            + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                            + "let n = 0;"
                            + "for (let i = 0; i < d.length; i += 4) {"
                            + "  const hi = Math.max(d[i], d[i + 1], d[i + 2]);"
                            + "  const lo = Math.min(d[i], d[i + 1], d[i + 2]);"
                            + "  if (d[i + 3] > 100 && hi - lo > 80) n++;"
                            + "}"
                            + "return n;"))
                .longValue();
        assertTrue(linePixels > 500, "the reward chart has no lines: " + linePixels + " px");
        assertFalse(
            browser.findElement(By.id("chart-loss")).isDisplayed(),
            "a GRPO run has no pretraining loss chart");
        assertFalse(
            browser.findElement(By.id("chart-tools")).isDisplayed(), "a run without tools has no calculator chart");
        assertFalse(browser.findElement(By.id("chart-cluster")).isDisplayed(), "a run in one process has no node chart");
        assertFalse(browser.findElement(By.id("nodes-section")).isDisplayed(), "nor a table of nodes");

        // ... and updates as the run appends steps
        long before = points(js, "reward");
        long drawsBefore = ((Number) js.executeScript("return ahaDashboard.draws('reward')")).longValue();
        waitFor(browser, Duration.ofSeconds(10), "the charts to update", () ->
            points(js, "reward") >= before + 2 && points(js, "length") >= before + 2);
        long drawsAfter = ((Number) js.executeScript("return ahaDashboard.draws('reward')")).longValue();
        assertTrue(drawsAfter > drawsBefore, drawsBefore + " -> " + drawsAfter);
        // read in one script: the run list is redrawn on every poll, so a found element can go stale
        waitFor(browser, Duration.ofSeconds(10), "the live dot", () -> (Boolean) js.executeScript(
            "const dot = document.querySelector('#runs .live.on'); return dot !== null && dot.offsetParent !== null;"));
        assertTrue(
            browser.findElement(By.id("warnings")).getText().startsWith("Skipped 1 malformed line"),
            browser.findElement(By.id("warnings")).getText());
        screenshot(browser, "dashboard-run.png");

        // step 0 leads the eval chart; the eval table shows greedy and sampled pass@1 per family
        waitFor(browser, Duration.ofSeconds(10), "the eval chart from step 0", () ->
            xs(js, "eval").stream().findFirst().map(x -> x == 0).orElse(false));
        assertTrue(browser.findElement(By.id("evals")).getText().contains("linear 0.250 / 0.200"),
            browser.findElement(By.id("evals")).getText());
        // x in minutes since the run started (FakeRun: 3 s a step), and back to steps
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("xmode"))).selectByValue("time");
        waitFor(browser, Duration.ofSeconds(10), "minutes on the x axis", () ->
            xs(js, "reward").stream().findFirst().map(x -> Math.abs(x - 0.05) < 1e-9).orElse(false));
        assertTrue(browser.getCurrentUrl().contains("x=time"), browser.getCurrentUrl());
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("xmode"))).selectByValue("step");
        waitFor(browser, Duration.ofSeconds(10), "steps on the x axis", () ->
            xs(js, "reward").stream().findFirst().map(x -> x == 1).orElse(false));

        // the sample browser: right completions only, think and answer apart, the marker lit
        browser.get(base + "samples.html?run=" + LIVE + "&correct=true");
        waitFor(browser, Duration.ofSeconds(10), "samples", () ->
            !browser.findElements(By.cssSelector(".part.think mark.reflect")).isEmpty());
        WebElement marker = browser.findElement(By.cssSelector(".part.think mark.reflect"));
        assertEquals("wait", marker.getText());
        assertEquals("rgba(255, 226, 122, 1)", marker.getCssValue("background-color"));
        assertTrue(browser.findElements(By.cssSelector(".completion.wrong")).isEmpty());
        assertEquals(
            "5", browser.findElement(By.cssSelector(".completion .part.answer pre")).getText());
        screenshot(browser, "dashboard-samples.png");

        // pass rates: the problem always failed and the one always solved are flagged
        browser.get(base + "problems.html?run=" + LIVE);
        waitFor(browser, Duration.ofSeconds(10), "pass rates", () ->
            !browser.findElements(By.cssSelector("tr.flag-always_0[data-problem='p-hard']")).isEmpty()
                && !browser.findElements(By.cssSelector("tr.flag-always_1[data-problem='p-easy']")).isEmpty());
        screenshot(browser, "dashboard-problems.png");

        // a clustered run lists its sampler nodes
        Files.writeString(root.resolve(OTHER).resolve("nodes.json"),
            "{\"step\": 30, \"nodes\": [{\"node\": \"local\", \"device\": \"cpu\", \"live\": true, \"items\": 12,"
                + " \"rows_per_s\": 85.5}, {\"node\": \"b1\", \"device\": \"cpu\", \"live\": false, \"failures\": 1}]}");
        browser.get(base + "run.html?run=" + OTHER);
        waitFor(browser, Duration.ofSeconds(10), "the table of nodes", () ->
            browser.findElement(By.id("nodes-section")).isDisplayed());
        String nodes = browser.findElement(By.id("nodes")).getText();
        assertTrue(nodes.contains("local cpu live") && nodes.contains("b1 cpu dropped"), nodes);

        // a pretraining run has the loss chart (held-out loss every tenth step) and no GRPO ones
        browser.get(base + "run.html?run=" + PRETRAIN);
        waitFor(browser, Duration.ofSeconds(10), "the loss chart", () -> points(js, "loss") == 30);
        assertFalse(browser.findElement(By.id("chart-reward")).isDisplayed());
        assertEquals(List.of("pretrain loss", "pretrain held-out loss"), labels(js, "loss"));
        // a finished run is not live
        waitFor(browser, Duration.ofSeconds(10), "the run line", () ->
            browser.findElement(By.id("runs")).getText().contains("finished"));
        assertTrue(browser.findElements(By.cssSelector("#runs .live.on")).isEmpty());

        // the list of runs: pick two and overlay them
        browser.get(base);
        waitFor(browser, Duration.ofSeconds(10), "the list of runs", () ->
            browser.findElements(By.cssSelector("#runs input[type=checkbox]")).size() == 3);
        screenshot(browser, "dashboard-runs.png");
        for (String run : List.of(LIVE, OTHER)) {
          browser.findElement(By.cssSelector("#runs input[data-run='" + run + "']")).click();
        }
        browser.findElement(By.id("overlay")).click();
        waitFor(browser, Duration.ofSeconds(10), "the overlay page", () ->
            browser.getCurrentUrl().contains("run=" + OTHER + "&run=" + LIVE));

        // two runs overlaid: four reward series each
        waitFor(browser, Duration.ofSeconds(20), "the overlay", () ->
            points(js, "reward") >= 30
                && ((Number) js.executeScript(
                        "return document.querySelectorAll('#chart-reward .u-legend .u-series').length"))
                    .intValue() == 1 + 2 * 4);
        screenshot(browser, "dashboard-overlay.png");

        List<LogEntry> errors =
            browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                .toList();
        assertTrue(errors.isEmpty(), "errors in the browser console: " + errors);
      } finally {
        browser.quit();
      }
    }
    System.out.printf(
        "dashboard browser test: %.1f s; screenshots in %s%n",
        (System.nanoTime() - started) / 1e9, screenshots());
  }

  /**
   * A run longer than the dashboard keeps ({@link RunView#MAX_METRIC_LINES}) is drawn from thinned
   * lines, and a one-step spike between two of them still shows, as the top of the band each
   * point's range shades. The run calls the calculator: its chart says when calls first came to
   * most responses, and the sample browser shows the calls and answers inline.
   */
  @Test
  void aLongRunIsThinnedWithTheSkippedStepsShaded() throws IOException {
    chromeDriverOrFail();
    String name = "20261129-120000-long";
    int steps = 2 * RunView.MAX_METRIC_LINES + 1_000;
    long spikeStep = 5_003; // not a multiple of the stride (4) from step 1: a skipped line
    try (FakeRun long_ = FakeRun.create(root, name, "finished").withTools();
        Dashboard dashboard =
            Dashboard.start(DashboardOptions.of(root, "127.0.0.1", 0).withPollMillis(200))) {
      for (long step = 1; step <= steps; step++) {
        if (step == spikeStep) {
          long_.rawMetrics("{\"step\": " + step + ", \"stage\": \"grpo\", \"grad_norm\": 50.0}\n");
        } else {
          long_.metric(step);
        }
      }
      long_.samples(steps, "p-calc", true, false);
      WebDriver browser = new ChromeDriver(chromeOptions());
      try {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        browser.get(dashboard.url() + "run.html?run=" + name);
        waitFor(browser, Duration.ofSeconds(20), "the thinned charts", () -> points(js, "optim") > 0);
        long drawn = points(js, "optim");
        assertTrue(drawn <= RunView.MAX_METRIC_LINES && drawn >= steps / 4, drawn + " points");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> bands =
            (List<Map<String, Object>>) js.executeScript("return ahaDashboard.bands('optim')");
        Map<String, Object> gradNorm =
            bands.stream().filter(b -> b.get("label").equals("grad norm")).findFirst().orElseThrow(
                () -> new AssertionError("no band for the grad norm: " + bands));
        assertEquals(50.0, ((Number) gradNorm.get("highest")).doubleValue(), "the spike's top");
        double highestPoint =
            ((Number) js.executeScript(
                    "return Math.max(...ahaDashboard.values('optim', 'grad norm').filter(v => v !== null))"))
                .doubleValue();
        assertTrue(highestPoint < 50, "the points themselves skip the spike: " + highestPoint);
        assertEquals(List.of("grad norm", "lr"), labels(js, "optim"), "band edges stay out of the legend");
        String note = browser.findElement(By.cssSelector("#chart-optim .note")).getText();
        assertTrue(note.contains("each point stands for up to 4 steps"), note);
        // a run with tools: the calculator's chart, thinned like the others
        assertTrue(points(js, "tools") > 0 && points(js, "tools") <= RunView.MAX_METRIC_LINES);
        assertEquals(
            List.of("calls per response", "responses with a call", "calls it could answer",
                "accuracy with a call", "accuracy without a call"),
            labels(js, "tools"));
        // FakeRun's share of responses with a call passes a half at step 51, between kept lines
        // 49 and 53: the note gives the steps line 49 stands for
        String toolsNote = browser.findElement(By.cssSelector("#chart-tools .note")).getText();
        assertTrue(toolsNote.contains("Calls first in most responses at a step from 49 to 52."), toolsNote);
        screenshot(browser, "dashboard-long-run.png");

        // the sample browser shows the calls and the calculator's answers inline
        browser.get(dashboard.url() + "samples.html?run=" + name + "&correct=true");
        waitFor(browser, Duration.ofSeconds(10), "samples", () ->
            !browser.findElements(By.cssSelector(".part.think .tool.calc")).isEmpty());
        assertEquals(
            List.of("<calc>19 - 4</calc>", "<calc>15 / 3</calc>"),
            browser.findElements(By.cssSelector(".part.think .tool.calc")).stream().map(WebElement::getText).toList());
        assertEquals(
            List.of("<result>15</result>", "<result>5</result>"),
            browser.findElements(By.cssSelector(".part.think .tool.result")).stream().map(WebElement::getText).toList());
        assertEquals("wait", browser.findElement(By.cssSelector(".part.think mark.reflect")).getText());
        assertEquals("2 calculator calls", browser.findElement(By.cssSelector(".badge.tool-count")).getText());
        screenshot(browser, "dashboard-samples-tools.png");
      } finally {
        browser.quit();
      }
    }
  }

  /**
   * The same, watching a real run: {@code aha train --preset smoke} in a child process, with more
   * GRPO steps so that the browser sees it grow.
   */
  @Test
  void chartsFollowARealTrainingRun() throws Exception {
    chromeDriverOrFail();
    List<String> command =
        List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
            System.getProperty("java.class.path"), "aha.runs.cli.AhaCli", "train", "--preset", "smoke",
            "--no-dashboard", "--set", "run.root=" + root, "--set", "grpo.steps=120",
            "--set", "grpo.eval.every=40");
    Process training =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("train.log").toFile()))
            .start();
    try (Dashboard dashboard =
        Dashboard.start(DashboardOptions.of(root, "127.0.0.1", 0).withPollMillis(200))) {
      WebDriver browser = new ChromeDriver(chromeOptions());
      try {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        browser.get(dashboard.url());
        waitFor(browser, Duration.ofSeconds(120), "the run in the list", () ->
            !browser.findElements(By.cssSelector("#runs input[type=checkbox]")).isEmpty());
        String run =
            browser.findElement(By.cssSelector("#runs input[type=checkbox]")).getAttribute("data-run");
        browser.get(dashboard.url() + "run.html?run=" + run);
        waitFor(browser, Duration.ofSeconds(120), "the first GRPO steps", () -> points(js, "reward") >= 2);
        long before = points(js, "reward");
        waitFor(browser, Duration.ofSeconds(60), "more GRPO steps", () -> points(js, "reward") >= before + 3);
        assertTrue(points(js, "length") > 0);
        // the tiny smoke model may never reflect: then the aha chart says so instead of drawing zeros
        String ahaNote = browser.findElement(By.cssSelector("#chart-aha .note")).getText();
        assertTrue(points(js, "aha") > 0 || ahaNote.startsWith("Not drawn, always 0: "),
            points(js, "aha") + " points, note: " + ahaNote);
        // its held-out evaluations: step 0 first
        waitFor(browser, Duration.ofSeconds(30), "the eval chart from step 0", () ->
            xs(js, "eval").stream().findFirst().map(x -> x == 0).orElse(false));
        screenshot(browser, "dashboard-real-run.png");
      } finally {
        browser.quit();
      }
    } finally {
      training.destroyForcibly();
      training.waitFor();
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Double> xs(JavascriptExecutor js, String chart) {
    List<Object> xs = (List<Object>) js.executeScript("return window.ahaDashboard ? ahaDashboard.xs(arguments[0]) : []", chart);
    return xs.stream().map(x -> ((Number) x).doubleValue()).toList();
  }

  @SuppressWarnings("unchecked")
  private static List<String> labels(JavascriptExecutor js, String chart) {
    return (List<String>) js.executeScript("return window.ahaDashboard ? ahaDashboard.labels(arguments[0]) : []", chart);
  }

  private static long points(JavascriptExecutor js, String chart) {
    Object points =
        js.executeScript(
            "return window.ahaDashboard ? ahaDashboard.points(arguments[0]) : 0", chart);
    return ((Number) points).longValue();
  }

  private interface Condition {
    boolean holds();
  }

  private static void waitFor(WebDriver browser, Duration timeout, String what, Condition condition) {
    new WebDriverWait(browser, timeout)
        .withMessage("waiting for " + what)
        .pollingEvery(Duration.ofMillis(100))
        .until(driver -> condition.holds());
  }

  private static Path screenshots() {
    return Path.of(System.getProperty("aha.screenshots", "target/screenshots"));
  }

  private static void screenshot(WebDriver browser, String name) throws IOException {
    Path dir = Files.createDirectories(screenshots());
    byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
    Files.write(dir.resolve(name), png);
  }

  private static ChromeOptions chromeOptions() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(tool("AHA_CHROMIUM", "/usr/bin/chromium"));
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1800",
        "--disable-gpu", "--no-first-run");
    options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
    return options;
  }

  /**
   * Points Selenium at the chromedriver of Debian's chromium (so that it never looks online for
   * one); fails, or with AHA_SKIP_BROWSER=1 skips, when either is missing.
   */
  private static void chromeDriverOrFail() {
    String chromium = tool("AHA_CHROMIUM", "/usr/bin/chromium");
    String driver = tool("AHA_CHROMEDRIVER", "/usr/bin/chromedriver");
    boolean present = new File(chromium).canExecute() && new File(driver).canExecute();
    if (!present) {
      String missing =
          "the dashboard browser test needs Chromium and its driver at "
              + chromium + " and " + driver
              + " (Debian: apt-get install chromium chromium-driver;"
              + " or set AHA_CHROMIUM / AHA_CHROMEDRIVER)";
      boolean ci = System.getenv("CI") != null && !System.getenv("CI").isBlank();
      if ("1".equals(System.getenv("AHA_SKIP_BROWSER")) && !ci) {
        Assumptions.abort("AHA_SKIP_BROWSER=1: skipped: " + missing);
      }
      fail(missing + "; to skip it on a machine without a browser, set AHA_SKIP_BROWSER=1");
    }
    System.setProperty("webdriver.chrome.driver", driver);
  }

  private static String tool(String variable, String fallback) {
    String value = System.getenv(variable);
    return value == null || value.isBlank() ? fallback : value;
  }
}
