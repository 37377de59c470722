package aha.runs.cli;

import aha.grpo.eval.EvalConfig;
import aha.problems.LintReport;
import aha.problems.PassRate;
import aha.problems.PassRateBand;
import aha.problems.PassRateSummary;
import aha.problems.Problem;
import aha.problems.ProblemImporter;
import aha.problems.ProblemLinter;
import aha.problems.ProblemMeta;
import aha.problems.ProblemSets;
import aha.problems.ProblemSplitter;
import aha.problems.ProblemStats;
import aha.problems.gen.CurriculumSpec;
import aha.problems.gen.Families;
import aha.problems.gen.ProblemGenerator;
import aha.verifier.VerifierAnswerChecker;
import aha.verifier.math.AnswerComparator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aha problems}: make, split, describe, check and import problem sets (JSONL), and calibrate
 * them against a model and filter them by the pass rates measured.
 */
@Command(
    name = "problems",
    mixinStandardHelpOptions = true,
    description = {
      "Author problem sets: JSON lines of {id, question, answer, kind, solution, meta}.",
      "The schema is documented in docs/problem-format.md.",
    },
    subcommands = {
      ProblemsCommand.Gen.class,
      ProblemsCommand.Split.class,
      ProblemsCommand.Stats.class,
      ProblemsCommand.Lint.class,
      ProblemsCommand.Import.class,
      ProblemsCommand.Calibrate.class,
      ProblemsCommand.Filter.class,
      CommandLine.HelpCommand.class,
    },
    footer = {
      "",
      "Examples:",
      "  aha problems gen --curriculum default -n 2000 -o out/problems/all.jsonl",
      "  aha problems split out/problems/all.jsonl --test-fraction 0.1 --train out/train.jsonl --test out/test.jsonl",
      "  aha problems lint out/train.jsonl --test out/test.jsonl",
      "  aha problems calibrate --model out/base out/train.jsonl -n 8 -o out/train-cal.jsonl",
    })
final class ProblemsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Writes problems to a file atomically, or as JSON lines to standard output. */
  private static void writeProblems(CommandSpec spec, Path output, List<Problem> problems)
      throws IOException {
    if (output == null || output.toString().equals("-")) {
      PrintWriter out = spec.commandLine().getOut();
      for (Problem problem : problems) {
        out.println(ProblemSets.toJson(problem));
      }
      out.flush();
      return;
    }
    ProblemSets.write(output, problems);
    spec.commandLine().getErr().printf("wrote %,d problems to %s%n", problems.size(), output);
  }

  @Command(
      name = "gen",
      mixinStandardHelpOptions = true,
      description = {
        "Generate problems with step-by-step solutions from a seeded family or a curriculum.",
        "The same family, difficulty, seed and count (or curriculum file and count) give",
        "byte-identical output.",
      },
      footer = {
        "",
        "Families: addition, multiplication, arithmetic, linear, fractions, word, countdown, gcd.",
        "A curriculum is a YAML file: {seed, count, families: [{family, weight, difficulties}]};",
        "'default' names the built-in one.",
        "",
        "Examples:",
        "  aha problems gen --family countdown --difficulty 3 -n 500 --seed 7 -o out/countdown.jsonl",
        "  aha problems gen --curriculum default -n 2000 -o out/problems/train.jsonl",
        "  aha problems gen --curriculum my-mix.yaml -o out/mix.jsonl",
      })
  static final class Gen implements Callable<Integer> {
    @Spec CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    Source source;

    static final class Source {
      @Option(names = "--family", paramLabel = "NAME", description = "One generator family.")
      String family;

      @Option(
          names = "--curriculum",
          paramLabel = "FILE",
          description = "A curriculum YAML file, or 'default' for the built-in mix.")
      String curriculum;
    }

    @Option(
        names = "--difficulty",
        defaultValue = "1",
        description = "Difficulty 1-5 for --family (default: ${DEFAULT-VALUE}).")
    int difficulty;

    @Option(
        names = {"-n", "--count"},
        paramLabel = "N",
        description = "How many problems (default: 100 for --family, the curriculum's count).")
    Integer count;

    @Option(
        names = "--seed",
        defaultValue = "1",
        description = "Seed for --family (a curriculum has its own) (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FILE",
        description = "Output JSONL file, written atomically; standard output when absent.")
    Path output;

    @Override
    public Integer call() throws IOException {
      try {
        writeProblems(spec, output, generate());
      } catch (IllegalStateException tooMany) {
        // A family with few distinct questions at a low difficulty cannot fill a large count.
        throw new UserInputException(tooMany.getMessage());
      }
      return 0;
    }

    private List<Problem> generate() throws IOException {
      if (source.family != null) {
        if (!Families.contains(source.family)) {
          throw new UserInputException(
              "--family: unknown family '"
                  + source.family
                  + "' (expected one of "
                  + String.join(", ", Families.names())
                  + ")");
        }
        return ProblemGenerator.generate(
            source.family, difficulty, count == null ? 100 : count, seed);
      }
      CurriculumSpec curriculum =
          source.curriculum.equals("default")
              ? CurriculumSpec.defaultSpec()
              : CurriculumSpec.load(Path.of(source.curriculum));
      return count == null
          ? ProblemGenerator.generate(curriculum)
          : ProblemGenerator.generate(curriculum, count);
    }
  }

  @Command(
      name = "split",
      mixinStandardHelpOptions = true,
      description = {
        "Split a problem set into train and test deterministically.",
        "Each problem goes to test by a seeded hash of its id, so the split of a problem does",
        "not depend on the order or the other problems of the file.",
      },
      footer = {
        "",
        "Example:",
        "  aha problems split all.jsonl --test-fraction 0.1 --train train.jsonl --test test.jsonl",
      })
  static final class Split implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The problem set to split.")
    Path input;

    @Option(
        names = "--test-fraction",
        defaultValue = "0.1",
        description = "Share of problems that go to test (default: ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(names = "--seed", defaultValue = "1", description = "Split seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--train", required = true, paramLabel = "FILE", description = "Train output.")
    Path train;

    @Option(names = "--test", required = true, paramLabel = "FILE", description = "Test output.")
    Path test;

    @Override
    public Integer call() throws IOException {
      if (OutputFiles.sameFile(train, test)) {
        throw new UserInputException("--train and --test name the same file: " + train);
      }
      OutputFiles.refuseInput("--train", train, "the input file", input);
      OutputFiles.refuseInput("--test", test, "the input file", input);
      ProblemSplitter.Split split =
          ProblemSplitter.split(ProblemSets.read(input), testFraction, seed);
      // both files or neither: a test file that cannot be written leaves no train file behind
      Map<Path, List<Problem>> sets = new LinkedHashMap<>();
      sets.put(train, split.train());
      sets.put(test, split.test());
      ProblemSets.writeAll(sets);
      spec.commandLine()
          .getOut()
          .printf(
              "train: %,d problems -> %s%ntest:  %,d problems -> %s%n",
              split.train().size(),
              train,
              split.test().size(),
              test);
      return 0;
    }
  }

  @Command(
      name = "stats",
      mixinStandardHelpOptions = true,
      description =
          "Counts by family and difficulty, kinds, and question, answer and solution lengths.",
      footer = {"", "Example:", "  aha problems stats out/problems/train.jsonl --json"})
  static final class Stats implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The problem set.")
    Path input;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Override
    public Integer call() throws IOException {
      ProblemStats stats = ProblemStats.of(ProblemSets.read(input));
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(new ObjectMapper().writeValueAsString(stats.toMap()));
      } else {
        out.print(stats.format());
      }
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "lint",
      mixinStandardHelpOptions = true,
      header = "Check a problem set: schema, duplicates, gold answers, reference solutions, leakage.",
      description = {
        "Check a problem set: the schema of every line, duplicate ids and questions, that every",
        "gold answer parses in the verifier, and that every reference solution's final answer",
        "verifies against its gold. With --test, also leakage: test questions found in train.",
        "Exit status: 0 when clean (warnings allowed), 2 when any error is found.",
      },
      footer = {
        "",
        "Examples:",
        "  aha problems lint out/problems/train.jsonl",
        "  aha problems lint train.jsonl --test test.jsonl",
      })
  static final class Lint implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The problem set (the train set with --test).")
    Path input;

    @Option(names = "--test", paramLabel = "FILE", description = "A test set to lint and check for leakage.")
    Path test;

    @Override
    public Integer call() throws IOException {
      VerifierAnswerChecker checker = new VerifierAnswerChecker();
      ProblemSets.ReadResult train = ProblemSets.readAll(input);
      LintReport report = ProblemLinter.lint(train, checker);
      if (test != null) {
        ProblemSets.ReadResult held = ProblemSets.readAll(test);
        report =
            report
                .plus(ProblemLinter.lint(held, checker))
                .plus(ProblemLinter.lintLeakage(train, held));
      }
      PrintWriter out = spec.commandLine().getOut();
      out.print(report.format());
      out.flush();
      return report.hasErrors() ? CliErrors.USER_ERROR : 0;
    }
  }

  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description = {
        "Convert a public data set's file into an aha problem set.",
        "  gsm8k: JSONL with question and answer ending in '#### N'",
        "  math:  JSON array or JSONL with problem, solution (\\boxed{}), optional answer, level, type",
        "  verl:  JSON array or JSONL with prompt and reward_model.ground_truth",
        "  auto:  decide from the first record's fields (default)",
        "The gold's kind is inferred by the verifier when the format does not fix it.",
      },
      footer = {
        "",
        "Examples:",
        "  aha problems import gsm8k-test.jsonl --format gsm8k -o out/gsm8k.jsonl",
        "  aha problems import math-test.json -o out/math.jsonl",
      })
  static final class Import implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The file to import.")
    Path input;

    @Option(
        names = "--format",
        defaultValue = "auto",
        paramLabel = "F",
        description = "gsm8k, math, verl or auto (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FILE",
        description = "Output JSONL file, written atomically; standard output when absent.")
    Path output;

    @Override
    public Integer call() throws IOException {
      ProblemImporter.Format parsed;
      try {
        parsed = ProblemImporter.Format.fromWire(format);
      } catch (IllegalArgumentException e) {
        throw new UserInputException("--format: " + e.getMessage());
      }
      OutputFiles.refuseInput("-o", output, "the input file", input);
      writeProblems(
          spec, output, ProblemImporter.importFile(input, parsed, AnswerComparator::inferKind));
      return 0;
    }
  }

  @Command(
      name = "calibrate",
      mixinStandardHelpOptions = true,
      header = "Measure each problem's pass rate over N samples from a checkpoint, into its meta.",
      description = {
        "Measure how hard each problem is for a model: sample N completions per problem from a",
        "checkpoint, judge them with the verifier, and write each problem's pass rate (the share",
        "judged correct, a multiple of 1/N) into its meta as pass_rate, with pass_rate_n and",
        "pass_rate_model (docs/problem-format.md). Then print per family how many problems were",
        "never solved (rate 0), solved sometimes, and always solved (rate 1), and the ids of the",
        "never and always solved ones: GRPO learns nothing from those at this model, as every",
        "completion of their groups earns the same reward.",
        "",
        "The samples are those of the sampled pass of 'aha eval' (same prompts, seeds and verifier),",
        "so a family's mean rate is its sampled pass@1 at the same settings. Keep a band of rates",
        "for training with 'aha problems filter --pass-rate MIN:MAX'. The summary goes to stdout",
        "with -o, else to stderr after the problems; a progress bar goes to stderr.",
      },
      footer = {
        "",
        "Examples:",
        "  aha problems calibrate --model out/base out/train.jsonl -n 8 -o out/train-cal.jsonl",
        "  aha problems filter --pass-rate 0.1:0.9 out/train-cal.jsonl -o out/train-band.jsonl",
        "  aha grpo --model out/base --problems out/train-band.jsonl --held-out out/test.jsonl",
      })
  static final class Calibrate implements Callable<Integer> {
    /** Ids listed of the never and of the always solved problems; the rest are counted. */
    static final int LISTED = 10;

    @Spec CommandSpec spec;

    @Mixin CheckpointOptions checkpoint;

    @Parameters(paramLabel = "FILE", description = "The problem set to calibrate.")
    Path input;

    @Option(
        names = {"-n", "--samples"},
        defaultValue = "8",
        paramLabel = "N",
        description = "Completions sampled per problem (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(
        names = "--temperature",
        defaultValue = "0.8",
        description = "Sampling temperature; the default is GRPO's (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FILE",
        description = "Output JSONL file, written atomically; standard output when absent.")
    Path output;

    @Override
    public Integer call() throws IOException {
      if (samples < 1) {
        throw new UserInputException("-n must be at least 1, got " + samples);
      }
      checkpoint.checkSampling(temperature);
      OutputFiles.refuseInput("-o", output, "the input file", input);
      checkpoint.checkCheckpoint();
      List<Problem> problems = ProblemSets.read(input);
      if (problems.isEmpty()) {
        throw new UserInputException(input + ": no problems");
      }
      EvalConfig config =
          new EvalConfig(samples, List.of(), false, temperature, checkpoint.topP,
              checkpoint.maxNewTokens, checkpoint.batchRows, checkpoint.seed);
      List<List<Boolean>> verdicts =
          checkpoint.withEvaluator(evaluator -> {
            try (ProgressBar bar =
                CheckpointOptions.progressBar("calibrate", (long) problems.size() * samples)) {
              return evaluator.sampledVerdicts(problems, config, bar::stepBy);
            }
          });
      List<Problem> calibrated = withPassRates(problems, verdicts, checkpoint.model.toString());
      writeProblems(spec, output, calibrated);

      // with the problems on stdout, the summary must not mix into them
      PrintWriter summary = output == null ? spec.commandLine().getErr() : spec.commandLine().getOut();
      summary.printf(
          Locale.ROOT,
          "pass rates of %,d problems, %d samples each at temperature %s, from %s%n",
          problems.size(), samples, temperature, checkpoint.model);
      summary.print(PassRateSummary.of(calibrated).format(LISTED));
      summary.flush();
      return 0;
    }

    /**
     * Each problem with the pass rate of its verdicts in its meta, replacing an earlier one; a
     * problem without meta gets one with only the pass rate.
     */
    static List<Problem> withPassRates(
        List<Problem> problems, List<List<Boolean>> verdicts, String model) {
      List<Problem> calibrated = new ArrayList<>(problems.size());
      for (int p = 0; p < problems.size(); p++) {
        Problem problem = problems.get(p);
        ProblemMeta meta = problem.meta() == null ? new ProblemMeta(null, 0, 0, null) : problem.meta();
        calibrated.add(
            new Problem(problem.id(), problem.question(), problem.answer(), problem.kind(),
                problem.solution(), meta.withPassRate(PassRate.of(verdicts.get(p), model))));
      }
      return calibrated;
    }
  }

  @Command(
      name = "filter",
      mixinStandardHelpOptions = true,
      header = "Keep the problems whose calibrated pass rate lies in a band.",
      description = {
        "Keep the problems of a calibrated problem set whose pass rate lies in a band, ends",
        "included, in file order. For GRPO, a band such as 0.1:0.9 drops the problems the model",
        "always or never solves, whose groups teach nothing. Every problem must have a pass rate",
        "('aha problems calibrate'). Train on the result with 'aha grpo --problems'.",
      },
      footer = {
        "",
        "Example:",
        "  aha problems filter --pass-rate 0.1:0.9 out/train-cal.jsonl -o out/train-band.jsonl",
      })
  static final class Filter implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "A calibrated problem set.")
    Path input;

    @Option(
        names = "--pass-rate",
        required = true,
        paramLabel = "MIN:MAX",
        description = "Keep problems whose pass rate is in [MIN, MAX], 0 <= MIN <= MAX <= 1.")
    String passRate;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FILE",
        description = "Output JSONL file, written atomically; standard output when absent.")
    Path output;

    @Override
    public Integer call() throws IOException {
      PassRateBand band;
      try {
        band = PassRateBand.parse(passRate);
      } catch (IllegalArgumentException e) {
        throw new UserInputException("--pass-rate: " + e.getMessage());
      }
      OutputFiles.refuseInput("-o", output, "the input file", input);
      List<ProblemSets.Entry> entries = ProblemSets.readEntries(input);
      List<Problem> kept = band.select(input, entries);
      writeProblems(spec, output, kept);
      spec.commandLine()
          .getErr()
          .printf(
              Locale.ROOT,
              "kept %,d of %,d problems with a pass rate in %s%n",
              kept.size(),
              entries.size(),
              band);
      return 0;
    }
  }
}
