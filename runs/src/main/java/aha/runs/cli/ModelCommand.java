package aha.runs.cli;

import aha.sampler.checkpoint.Checkpoints;
import aha.sampler.model.ModelConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code aha model}: facts about model presets and checkpoints. */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description = "Facts about model presets and checkpoint directories.",
    subcommands = {ModelCommand.Info.class, CommandLine.HelpCommand.class},
    footer = {"", "Example:", "  aha model info --preset micro"})
final class ModelCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "info",
      mixinStandardHelpOptions = true,
      description = {
        "Print a model's shape, its parameter count and its forward FLOPs per token.",
        "FLOPs count two per multiply-add of every weight matrix (LM head included, embedding",
        "lookup excluded) plus attention over the given context; training costs about 3x.",
      },
      footer = {
        "",
        "Presets: tiny (unit tests), nano (~0.7M, what 'aha train' trains), micro (~5M), small (~25M).",
        "",
        "Examples:",
        "  aha model info --preset nano",
        "  aha model info out/base --context 512",
        "  aha model info out/runs/20261203-065555-default",
      })
  static final class Info implements Callable<Integer> {
    @Spec CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    Source source;

    static final class Source {
      @Option(names = "--preset", paramLabel = "NAME", description = "tiny, nano, micro or small.")
      String preset;

      @Parameters(
          paramLabel = "DIR",
          description = "A checkpoint directory with config.json, or a run directory (its base model).")
      Path checkpoint;
    }

    @Option(
        names = "--vocab",
        paramLabel = "V",
        description = "Vocabulary size for a preset (default: the preset's, that of its base recipe).")
    Integer vocab;

    @Option(
        names = "--context",
        paramLabel = "T",
        defaultValue = "256",
        description = "Context length at which to count attention FLOPs (default: ${DEFAULT-VALUE}).")
    int context;

    @Override
    public Integer call() throws IOException {
      ModelConfig config;
      String name;
      if (source.preset != null) {
        config = ModelConfig.preset(source.preset);
        if (vocab != null) {
          config = config.withVocabSize(vocab);
        }
        name = "preset " + source.preset;
      } else {
        if (!Files.isDirectory(source.checkpoint)) {
          throw new UserInputException(source.checkpoint + ": not a checkpoint directory");
        }
        // a run directory: its base model, which every checkpoint of the run shares the shape of
        Path dir = source.checkpoint;
        if (!Files.exists(dir.resolve("config.json")) && Files.exists(dir.resolve("base").resolve("config.json"))) {
          dir = dir.resolve("base");
        }
        config = Checkpoints.readConfig(dir);
        name = dir.toString();
      }
      if (context <= 0) {
        throw new UserInputException("--context must be positive, got " + context);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println(name);
      out.printf(
          Locale.ROOT,
          "  layers %d, width %d, heads %d (kv %d, head size %d), mlp %d, vocab %d, positions %d%n",
          config.numLayers(),
          config.hiddenSize(),
          config.numHeads(),
          config.numKvHeads(),
          config.headSize(),
          config.intermediateSize(),
          config.vocabSize(),
          config.maxPositions());
      out.printf(
          Locale.ROOT,
          "  embeddings %s, q/k/v bias %s%n",
          config.tieEmbeddings() ? "tied" : "untied",
          config.qkvBias() ? "yes" : "no");
      out.printf(
          Locale.ROOT,
          "  parameters        %,d (%,d per layer)%n",
          config.parameterCount(),
          config.parametersPerLayer());
      out.printf(
          Locale.ROOT,
          "  forward FLOPs/token at context %d: %,d (%.2f MFLOP)%n",
          context,
          config.forwardFlopsPerToken(context),
          config.forwardFlopsPerToken(context) / 1e6);
      out.flush();
      return 0;
    }
  }
}
