package aha.runs.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.runs.cli.AhaCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DashboardCommandTest {

  @TempDir Path root;

  private record Run(int code, String out, String err) {}

  private static Run aha(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = AhaCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void helpShowsTheOptionsAndAnExample() {
    Run run = aha("dashboard", "--help");
    assertEquals(0, run.code());
    assertTrue(run.out().contains("--host"), run.out());
    assertTrue(run.out().contains("127.0.0.1"), run.out());
    assertTrue(run.out().contains("aha dashboard --runs out/runs --port 0"), run.out());
  }

  @Test
  void aBadPortIsAUserError() {
    Run run = aha("dashboard", "--runs", root.toString(), "--port", "70000");
    assertEquals(2, run.code());
    assertTrue(run.err().contains("--port must be 0..65535"), run.err());
  }

  @Test
  void aTakenPortIsAUserError() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Run run =
          aha("dashboard", "--runs", root.toString(), "--port", "" + taken.getLocalPort());
      assertEquals(2, run.code(), run.err());
      assertTrue(run.err().contains("cannot serve the dashboard on 127.0.0.1:"), run.err());
    }
  }

  @Test
  void servesUntilStoppedAndPrintsItsUrl() throws Exception {
    FakeRun.create(root, "20261128-183000-smoke", "running").metric(1).close();
    StringWriter out = new StringWriter();
    CommandLine cli = AhaCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(new StringWriter(), true));
    AtomicInteger code = new AtomicInteger(-1);
    Thread command =
        new Thread(
            () -> code.set(cli.execute("dashboard", "--runs", root.toString(), "--port", "0")));
    command.start();
    Pattern url = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/");
    Matcher matcher = url.matcher("");
    for (int i = 0; i < 200 && !(matcher = url.matcher(out.toString())).find(); i++) {
      Thread.sleep(50);
    }
    assertTrue(matcher.find(0), "no URL printed: " + out);
    assertTrue(out.toString().contains("1 run under"), out.toString());
    HttpResponse<String> runs =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(matcher.group() + "api/runs")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, runs.statusCode());
    assertTrue(runs.body().contains("20261128-183000-smoke"), runs.body());
    command.interrupt();
    command.join(10_000);
    assertEquals(0, code.get());
  }
}
