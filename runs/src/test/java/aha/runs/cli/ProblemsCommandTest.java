package aha.runs.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.problems.Problem;
import aha.problems.ProblemSets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProblemsCommandTest {
  @TempDir Path dir;

  @Test
  void genIsByteIdenticalForTheSameArguments() throws IOException {
    Path first = dir.resolve("a.jsonl");
    Path second = dir.resolve("b.jsonl");
    String[] common = {"--family", "linear", "--difficulty", "3", "-n", "50", "--seed", "9", "-o"};
    assertEquals(0, CliRun.of(concat("problems", "gen", common, first.toString())).exitCode());
    assertEquals(0, CliRun.of(concat("problems", "gen", common, second.toString())).exitCode());
    assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
    assertEquals(50, ProblemSets.read(first).size());
  }

  @Test
  void genFromTheDefaultCurriculumLintsClean() throws IOException {
    Path file = dir.resolve("mix.jsonl");
    CliRun gen = CliRun.of("problems", "gen", "--curriculum", "default", "-n", "300", "-o", file.toString());
    assertEquals(0, gen.exitCode(), gen.err());
    List<Problem> problems = ProblemSets.read(file);
    Set<String> families = new HashSet<>();
    problems.forEach(p -> families.add(p.meta().family()));
    assertTrue(families.size() >= 8, "families: " + families);

    CliRun lint = CliRun.of("problems", "lint", file.toString());
    assertEquals(0, lint.exitCode(), lint.out());
    assertTrue(lint.out().contains("no findings"), lint.out());
  }

  @Test
  void genRejectsUnknownFamilyAndNeedsASource() {
    CliRun unknown = CliRun.of("problems", "gen", "--family", "calculus");
    assertEquals(2, unknown.exitCode());
    assertTrue(unknown.err().contains("unknown family 'calculus'"), unknown.err());
    assertTrue(unknown.err().contains("countdown"), unknown.err());

    CliRun none = CliRun.of("problems", "gen", "-n", "3");
    assertEquals(2, none.exitCode());
  }

  @Test
  void genWithACurriculumFileReportsItsBadField() throws IOException {
    Path spec = dir.resolve("bad.yaml");
    Files.writeString(spec, "seed: 1\ncount: 10\nfamilies:\n  - family: addition\n    weight: -1\n");
    CliRun run = CliRun.of("problems", "gen", "--curriculum", spec.toString());
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("bad.yaml"), run.err());
    assertTrue(run.err().contains("weight"), run.err());
  }

  @Test
  void splitIsDeterministicAndPartitions() throws IOException {
    Path all = dir.resolve("all.jsonl");
    CliRun.of("problems", "gen", "--family", "addition", "--difficulty", "2", "-n", "200", "-o", all.toString());
    Path train = dir.resolve("train.jsonl");
    Path test = dir.resolve("test.jsonl");
    CliRun split =
        CliRun.of("problems", "split", all.toString(), "--test-fraction", "0.2",
            "--train", train.toString(), "--test", test.toString());
    assertEquals(0, split.exitCode(), split.err());
    int trainCount = ProblemSets.read(train).size();
    int testCount = ProblemSets.read(test).size();
    assertEquals(200, trainCount + testCount);
    assertTrue(testCount > 20 && testCount < 60, "test count " + testCount);

    byte[] firstTest = Files.readAllBytes(test);
    CliRun.of("problems", "split", all.toString(), "--test-fraction", "0.2",
        "--train", train.toString(), "--test", test.toString());
    assertArrayEquals(firstTest, Files.readAllBytes(test));

    CliRun lint = CliRun.of("problems", "lint", train.toString(), "--test", test.toString());
    assertEquals(0, lint.exitCode(), lint.out());
  }

  @Test
  void splitAndImportRefuseToWriteOverTheirInput() throws IOException {
    Path all = dir.resolve("all.jsonl");
    CliRun.of("problems", "gen", "--family", "addition", "-n", "50", "-o", all.toString());
    byte[] before = Files.readAllBytes(all);
    Path other = dir.resolve("other.jsonl");
    // the same file spelt another way counts as the input too
    String sameFile = dir.resolve("sub").resolve("..").resolve("all.jsonl").toString();
    Files.createDirectories(dir.resolve("sub"));

    CliRun train = CliRun.of("problems", "split", all.toString(), "--train", sameFile, "--test", other.toString());
    assertEquals(2, train.exitCode());
    assertTrue(train.err().contains("--train " + sameFile + " is the input file"), train.err());
    CliRun test = CliRun.of("problems", "split", all.toString(), "--train", other.toString(), "--test", all.toString());
    assertEquals(2, test.exitCode());
    assertTrue(test.err().contains("--test " + all + " is the input file"), test.err());
    CliRun imported = CliRun.of("problems", "import", all.toString(), "--format", "verl", "-o", all.toString());
    assertEquals(2, imported.exitCode());
    assertTrue(imported.err().contains("-o " + all + " is the input file"), imported.err());

    assertArrayEquals(before, Files.readAllBytes(all), "the input is untouched");
    assertFalse(Files.exists(other), "nothing written");
  }

  @Test
  void splitWritesBothFilesOrNeither() throws IOException {
    Path all = dir.resolve("all.jsonl");
    CliRun.of("problems", "gen", "--family", "addition", "-n", "50", "-o", all.toString());
    Path train = dir.resolve("train.jsonl");
    Path blocker = dir.resolve("blocker");
    Files.writeString(blocker, "a file where the test file's directory should be\n");
    Path test = blocker.resolve("test.jsonl");

    CliRun split = CliRun.of("problems", "split", all.toString(), "--train", train.toString(), "--test", test.toString());
    assertEquals(2, split.exitCode(), split.err());
    assertTrue(split.err().contains("blocker"), "the error names the path: " + split.err());
    assertFalse(Files.exists(train), "no train file left behind");
    try (var listing = Files.list(dir)) {
      assertTrue(listing.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file left");
    }
  }

  @Test
  void lintFindsLeakageWrongGoldsAndSchemaErrorsWithLines() throws IOException {
    Path train = dir.resolve("train.jsonl");
    Path test = dir.resolve("test.jsonl");
    Files.writeString(
        train,
        line("t1", "What is 2+2?", "4", "#### 4")
            + line("t2", "What is 3+3?", "7", "3+3 = 6\n#### 6")
            + "{\"id\":\"t3\",\"question\":\"q\"}\n",
        StandardCharsets.UTF_8);
    Files.writeString(test, line("e1", "what is 2+2?", "4", "#### 4"), StandardCharsets.UTF_8);

    CliRun lint = CliRun.of("problems", "lint", train.toString(), "--test", test.toString());
    assertEquals(2, lint.exitCode());
    assertTrue(lint.out().contains("train.jsonl:2"), lint.out());
    assertTrue(lint.out().contains("train.jsonl:3 answer"), lint.out());
    assertTrue(lint.out().contains("test.jsonl:1"), lint.out());
    assertTrue(lint.out().contains("errors"), lint.out());
  }

  @Test
  void statsPrintsJson() throws IOException {
    Path file = dir.resolve("g.jsonl");
    CliRun.of("problems", "gen", "--family", "gcd", "-n", "40", "-o", file.toString());
    CliRun stats = CliRun.of("problems", "stats", file.toString(), "--json");
    assertEquals(0, stats.exitCode(), stats.err());
    assertTrue(stats.out().strip().startsWith("{"), stats.out());
    assertTrue(stats.out().contains("40"), stats.out());
  }

  @Test
  void importGsm8kAndReportBadRecords() throws IOException {
    Path gsm = dir.resolve("gsm8k.jsonl");
    Files.writeString(
        gsm,
        "{\"question\":\"Tom has 3 apples and buys 4. How many?\",\"answer\":\"3+4=<<3+4=7>>7\\n#### 7\"}\n"
            + "{\"question\":\"A pen costs $2. What do 5 cost?\",\"answer\":\"5*2=10\\n#### 1,000\"}\n");
    Path out = dir.resolve("imported.jsonl");
    CliRun run = CliRun.of("problems", "import", gsm.toString(), "--format", "gsm8k", "-o", out.toString());
    assertEquals(0, run.exitCode(), run.err());
    List<Problem> problems = ProblemSets.read(out);
    assertEquals(2, problems.size());
    assertEquals("7", problems.get(0).answer());

    Path broken = dir.resolve("broken.jsonl");
    Files.writeString(broken, "{\"question\":\"q\",\"answer\":\"no marker\"}\n");
    Path untouched = dir.resolve("untouched.jsonl");
    CliRun bad = CliRun.of("problems", "import", broken.toString(), "--format", "gsm8k", "-o", untouched.toString());
    assertEquals(2, bad.exitCode());
    assertTrue(bad.err().contains("broken.jsonl"), bad.err());
    assertFalse(Files.exists(untouched), "no output on failure");

    CliRun format = CliRun.of("problems", "import", gsm.toString(), "--format", "csv");
    assertEquals(2, format.exitCode());
    assertTrue(format.err().contains("gsm8k"), format.err());
  }

  @Test
  void everyCommandExplainsItselfWithAnExample() {
    for (String[] command :
        List.of(
            new String[] {"problems", "gen"},
            new String[] {"problems", "split"},
            new String[] {"problems", "stats"},
            new String[] {"problems", "lint"},
            new String[] {"problems", "import"},
            new String[] {"problems", "calibrate"},
            new String[] {"problems", "filter"},
            new String[] {"verify"},
            new String[] {"bench", "verify"})) {
      CliRun help = CliRun.of(concat(command, "--help"));
      assertEquals(0, help.exitCode(), String.join(" ", command));
      assertTrue(help.out().contains("Example"), String.join(" ", command) + ": " + help.out());
    }
  }

  private static String line(String id, String question, String answer, String solution) {
    return ProblemSets.toJson(
            new Problem(id, question, answer, aha.problems.AnswerKind.NUMERIC, solution, null))
        + "\n";
  }

  private static String[] concat(String a, String b, String[] middle, String last) {
    String[] all = new String[middle.length + 3];
    all[0] = a;
    all[1] = b;
    System.arraycopy(middle, 0, all, 2, middle.length);
    all[all.length - 1] = last;
    return all;
  }

  private static String[] concat(String[] first, String last) {
    String[] all = java.util.Arrays.copyOf(first, first.length + 1);
    all[first.length] = last;
    return all;
  }
}
