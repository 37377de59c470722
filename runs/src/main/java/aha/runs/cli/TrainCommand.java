package aha.runs.cli;

import aha.problems.AtomicFiles;
import aha.runs.config.ConfigLoader;
import aha.runs.config.RunConfig;
import aha.runs.report.RunStory;
import aha.runs.dashboard.Dashboard;
import aha.runs.dashboard.DashboardOptions;
import aha.runs.cluster.RunVertx;
import aha.runs.store.Manifest;
import aha.runs.store.RunDirectory;
import aha.runs.train.GrpoStage;
import aha.runs.train.TrainPipeline;
import aha.sampler.model.Devices;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code aha train}: the whole experiment, from nothing to an RL-trained policy, in one run directory. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    header = "Run the whole experiment: problems, tokenizer, pretraining, SFT, GRPO and evaluation.",
    description = {
      "Run the whole experiment end to end, from nothing: generate the curriculum's problems,",
      "train the BPE tokenizer, pretrain and fine-tune the base model, then train it with GRPO,",
      "evaluating on held-out problems before, during and after. Everything lands in one run",
      "directory (docs/run-format.md), and the live dashboard shows it while it runs (its URL is",
      "printed; --no-dashboard to skip it). With no options this is the default experiment; see",
      "'aha config show' for every setting and docs/config.md for what they mean.",
      "",
      "A stopped run (Ctrl-C, a crash, even SIGKILL) continues with --resume: an unfinished base",
      "stage is rebuilt, GRPO continues from its newest checkpoint, and the run ends with the",
      "completions and evaluations of an uninterrupted run, its metrics equal to float precision",
      "(libtorch's CPU kernels are not bitwise reproducible from one process to the next).",
    },
    footer = {
      "",
      "Examples:",
      "  aha train",
      "  aha train --preset smoke --no-dashboard",
      "  aha train --set base.seed=2 --set grpo.seed=2",
      "  aha train --preset no-tools",
      "  aha train --set grpo.loss.type=dapo --set grpo.steps=60 --set run.name=dapo",
      "  aha train --resume out/runs/20261128-231500-default",
    })
final class TrainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConfigOptions options;

  @Mixin ThreadsOption threads;

  @Option(names = "--resume", paramLabel = "RUN", description = "Continue a stopped run; its config.yaml is used as it is.")
  Path resume;

  @Option(names = "--no-dashboard", description = "Don't start the live dashboard.")
  boolean noDashboard;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    threads.apply();
    long start = System.nanoTime();
    RunConfig config;
    RunDirectory run;
    if (resume != null) {
      if (!Files.isRegularFile(resume.resolve(RunDirectory.CONFIG))) {
        throw new UserInputException(resume + ": not a run directory (no " + RunDirectory.CONFIG + ")");
      }
      run = RunDirectory.open(resume);
      config = ConfigLoader.read(run.config());
      if (!Resumption.begin(run, out)) {
        return 0;
      }
    } else {
      config = options.resolve();
      RunVertx.check(config.run());
      run = RunDirectory.create(Path.of(config.run().root()), config.run().name());
      AtomicFiles.writeString(run.config(), ConfigLoader.toYaml(config));
      Manifest.startingNow(GrpoCommand.commandLine(spec, "train")).write(run.manifest());
      out.println("run: " + run.dir());
    }
    // one Vert.x for the run: the sampling service and the dashboard, whose /metrics reports both;
    // a member of the run's cluster when run.cluster names one
    RunVertx shared;
    try {
      shared = RunVertx.start(config.run());
    } catch (IOException | RuntimeException e) {
      Manifest.read(run.manifest()).endedNow("failed").write(run.manifest());
      throw e;
    }
    Dashboard dashboard = null;
    try {
      if (config.run().dashboard() && !noDashboard) {
        dashboard = startDashboard(shared, config, run);
        out.println("dashboard: " + dashboard.url());
      }
    } catch (IOException | RuntimeException e) {
      shared.close();
      throw e;
    }
    out.flush();

    TrainPipeline.Plan plan =
        new TrainPipeline.Plan(
            config.base(),
            config.curriculumSpec(),
            config.grpo(),
            config.run().checkpointEvery(),
            config.run().keepCheckpoints(),
            Devices.resolve(config.run().device()));
    GrpoStage.Result result;
    try (StageBars progress = new StageBars(out)) {
      result = TrainPipeline.run(plan, run, shared.vertx(), shared.cluster(), progress);
      Manifest.read(run.manifest()).endedNow("finished").write(run.manifest());
    } catch (IOException | RuntimeException e) {
      Manifest.read(run.manifest()).endedNow("failed").write(run.manifest());
      throw e;
    } finally {
      if (dashboard != null) {
        dashboard.close();
      }
      shared.close();
    }
    out.printf(Locale.ROOT, "%nfinished in %.0f s: %s%n%n", (System.nanoTime() - start) / 1e9, run.dir());
    out.print(RunStory.of(run));
    out.println();
    out.println("final policy: " + result.finalModel());
    out.println("browse it: ./aha dashboard --runs " + config.run().root() + "   (or ./aha report " + run.dir() + ")");
    return 0;
  }


  /** The dashboard on the configured port, or on any free one when that is taken. */
  private Dashboard startDashboard(RunVertx shared, RunConfig config, RunDirectory run) throws IOException {
    Path root = run.dir().getParent();
    try {
      return Dashboard.start(shared.metered(), DashboardOptions.of(root, config.run().host(), config.run().port()));
    } catch (IOException | RuntimeException taken) {
      spec.commandLine().getErr().println(
          "aha train: port " + config.run().port() + " is taken (" + taken.getMessage() + "); using a free one");
      return Dashboard.start(shared.metered(), DashboardOptions.of(root, config.run().host(), 0));
    }
  }
}
