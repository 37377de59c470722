package aha.runs.cli;

import aha.grpo.rl.GrpoConfig;
import aha.grpo.train.BasePipeline;
import aha.problems.AtomicFiles;
import aha.problems.Problem;
import aha.runs.config.ConfigLoader;
import aha.runs.config.RunConfig;
import aha.runs.report.RunStory;
import aha.problems.ProblemSets;
import aha.runs.store.Manifest;
import aha.runs.store.RunDirectory;
import aha.runs.train.GrpoStage;
import aha.runs.cluster.RunVertx;
import aha.sampler.checkpoint.Checkpoints;
import aha.sampler.model.Devices;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code aha grpo}: the RL stage alone, from a base checkpoint into a run directory. */
@Command(
    name = "grpo",
    mixinStandardHelpOptions = true,
    header = "Train a policy with GRPO from a base checkpoint.",
    description = {
      "Train a policy with GRPO from a base checkpoint (one 'aha base' wrote, or an HF Llama/Qwen2",
      "directory with tokenizer.json). Each step samples G completions for P problems, scores",
      "them with the verifier, and takes a clipped policy-gradient step towards the completions",
      "that beat their group's mean.",
      "",
      "Writes a run directory (docs/run-format.md): metrics.jsonl, samples.jsonl, eval reports",
      "and checkpoints; 'aha dashboard' shows it live. Settings are the 'grpo' and 'run' sections",
      "of the run config ('aha config show', docs/config.md). Training problems default to the",
      "default curriculum's, held-out problems to the curriculum at the next seed (no question",
      "shared), as 'aha base' makes them.",
    },
    footer = {
      "",
      "Examples:",
      "  aha grpo --model out/base",
      "  aha grpo --model out/base --set grpo.steps=40 --set grpo.loss.type=dapo",
      "  aha grpo --model out/base --problems train.jsonl --held-out test.jsonl --set run.name=mine",
      "  aha grpo --resume out/runs/20261128-231500-grpo",
    })
final class GrpoCommand implements Callable<Integer> {

  /** The file in an 'aha grpo' run that names its starting checkpoint. */
  static final String BASE_MODEL = "base-model.txt";

  @Spec CommandSpec spec;

  @Option(names = "--model", paramLabel = "DIR", description = "The starting checkpoint (default: out/base).")
  Path model;

  @Option(names = "--problems", paramLabel = "FILE", description = "Training problems (JSONL).")
  Path problems;

  @Option(names = "--held-out", paramLabel = "FILE", description = "Held-out problems for evaluations (JSONL).")
  Path heldOut;

  @Mixin ConfigOptions options;

  @Mixin ThreadsOption threads;

  @Option(names = "--resume", paramLabel = "RUN", description = "Continue a stopped run from its newest checkpoint.")
  Path resume;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    threads.apply();
    RunConfig resolved;
    RunDirectory run;
    Path base;
    if (resume != null) {
      if (!Files.isRegularFile(resume.resolve(BASE_MODEL))) {
        throw new UserInputException(resume + ": not a run of 'aha grpo' (no " + BASE_MODEL + ")");
      }
      run = RunDirectory.open(resume);
      resolved = ConfigLoader.read(run.config());
      base = Path.of(Files.readString(run.dir().resolve(BASE_MODEL)).trim());
      if (!Resumption.begin(run, out)) {
        return 0;
      }
    } else {
      resolved = options.resolve();
      base = model != null ? model : Path.of("out", "base");
      Checkpoints.readConfig(base); // fails early, naming the file, when it is not a checkpoint
      RunVertx.check(resolved.run());
      run = RunDirectory.create(Path.of(resolved.run().root()), resolved.run().name());
      AtomicFiles.writeString(run.config(), ConfigLoader.toYaml(resolved));
      AtomicFiles.writeString(run.dir().resolve(BASE_MODEL), base.toAbsolutePath() + "\n");
      Manifest.startingNow(commandLine(spec, "grpo")).write(run.manifest());
    }
    GrpoConfig config = resolved.grpo();
    List<List<Problem>> sets = problemSets(resolved);
    out.println("run: " + run.dir());
    out.flush();

    GrpoStage.Result result;
    RunVertx vertx;
    try {
      vertx = RunVertx.start(resolved.run());
    } catch (IOException | RuntimeException e) {
      Manifest.read(run.manifest()).endedNow("failed").write(run.manifest());
      throw e;
    }
    try (StageBars progress = new StageBars(out)) {
      GrpoStage.Settings settings =
          new GrpoStage.Settings(run, base, 0, resolved.run().checkpointEvery(), resolved.run().keepCheckpoints(),
              Devices.resolve(resolved.run().device()), vertx.vertx(), null, vertx.cluster());
      result = GrpoStage.run(config, settings, sets.get(0), sets.get(1), progress);
      Manifest.read(run.manifest()).endedNow("finished").write(run.manifest());
    } catch (IOException | RuntimeException e) {
      Manifest.read(run.manifest()).endedNow("failed").write(run.manifest());
      throw e;
    } finally {
      vertx.close();
    }
    out.println();
    out.print(RunStory.of(run));
    out.println();
    out.println("final policy: " + result.finalModel());
    return 0;
  }

  /**
   * The command line for a run's manifest: the subcommand's name, then its arguments as given
   * (picocli's parse result starts with the name when the command runs under {@code aha}).
   */
  static List<String> commandLine(CommandSpec spec, String name) {
    List<String> args = spec.commandLine().getParseResult().originalArgs();
    return !args.isEmpty() && args.get(0).equals(name)
        ? List.copyOf(args)
        : java.util.stream.Stream.concat(java.util.stream.Stream.of(name), args.stream()).toList();
  }

  /**
   * Training and held-out problems: from the files given, else as the config's base recipe and
   * curriculum make them (what 'aha base' and 'aha train' use).
   */
  private List<List<Problem>> problemSets(RunConfig resolved) throws IOException {
    if (problems != null && heldOut != null) {
      return List.of(ProblemSets.read(problems), ProblemSets.read(heldOut));
    }
    BasePipeline.Data data = new BasePipeline(resolved.base(), resolved.curriculumSpec(), null, null).data();
    return List.of(
        problems != null ? ProblemSets.read(problems) : data.train(),
        heldOut != null ? ProblemSets.read(heldOut) : data.heldOut());
  }
}
