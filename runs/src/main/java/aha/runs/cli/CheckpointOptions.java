package aha.runs.cli;

import aha.grpo.eval.Evaluator;
import aha.grpo.rl.LabChat;
import aha.grpo.train.BasePipeline;
import aha.sampler.checkpoint.Checkpoints;
import aha.sampler.generate.Generator;
import aha.sampler.model.Devices;
import aha.sampler.model.Transformer;
import aha.sampler.tokenizer.ChatTemplate;
import aha.sampler.tokenizer.Tokenizer;
import aha.verifier.Verifier;
import aha.verifier.VerifierConfig;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Option;

/**
 * The options of a command that samples completions from a checkpoint: which checkpoint, and the
 * settings of generation that mean the same in every such command. A picocli mixin; {@link
 * CheckpointSamplingOptions} adds the problem file of {@code aha sample} and {@code aha eval},
 * while {@code aha problems calibrate} takes its file as a parameter like the other {@code aha
 * problems} commands.
 *
 * <p>The temperature is not here: {@code aha sample} takes 0 as greedy, while {@code aha eval} runs
 * its greedy pass apart and needs a positive temperature for the sampled completions, and
 * calibrate defaults to the training temperature.
 */
class CheckpointOptions {

  /** What a command does with an {@link Evaluator} of the checkpoint while it is loaded. */
  @FunctionalInterface
  interface EvaluatorJob<T> {
    T run(Evaluator evaluator) throws IOException;
  }

  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR",
      description = "Checkpoint directory: config.json, model.safetensors, tokenizer.json.")
  Path model;

  @Option(
      names = "--max-new-tokens",
      defaultValue = "256",
      paramLabel = "N",
      description = "Most tokens per completion (default: ${DEFAULT-VALUE}).")
  int maxNewTokens;

  @Option(
      names = "--top-p",
      defaultValue = "1",
      description = "Nucleus: keep tokens up to this probability mass (default: ${DEFAULT-VALUE}).")
  double topP;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the sampled completions (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--batch-rows",
      defaultValue = "64",
      paramLabel = "N",
      description = "Most completions generated together (default: ${DEFAULT-VALUE}).")
  int batchRows;

  @Option(
      names = "--device",
      defaultValue = "auto",
      description = "auto, cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
  String device;

  /**
   * Checks that the checkpoint directory holds what loading it needs, so that a wrong path fails
   * before any problem file is read or model built.
   *
   * @throws UserInputException naming the directory or the missing file
   */
  void checkCheckpoint() {
    if (!Files.isDirectory(model)) {
      throw new UserInputException(model + ": not a checkpoint directory");
    }
    for (String file : List.of(Checkpoints.CONFIG, BasePipeline.TOKENIZER)) {
      if (!Files.isRegularFile(model.resolve(file))) {
        throw new UserInputException(model.resolve(file) + ": no such file");
      }
    }
  }

  /**
   * Checks the settings of sampled completions at {@code temperature}, naming the options.
   *
   * @throws UserInputException when one is out of range
   */
  void checkSampling(double temperature) {
    if (maxNewTokens <= 0 || batchRows <= 0) {
      throw new UserInputException("--max-new-tokens and --batch-rows must be positive");
    }
    if (!(temperature > 0) || !(topP > 0 && topP <= 1)) {
      throw new UserInputException(
          "--temperature must be positive and --top-p in (0, 1], got " + temperature + " and " + topP);
    }
  }

  /**
   * Loads the checkpoint onto {@code --device} and runs {@code job} with an {@link Evaluator} of it:
   * one generator on the calling thread, the lab's chat template, the default verifier. No
   * sampling service: an evaluation is one batch job whose results are only read at the end, so
   * the service's overlapping of sampling and verifying would save little and add a Vert.x
   * instance to start.
   */
  <T> T withEvaluator(EvaluatorJob<T> job) throws IOException {
    try (Tokenizer tokenizer = Tokenizer.load(model);
        NDManager manager = NDManager.newBaseManager(Devices.resolve(device))) {
      ChatTemplate template = LabChat.template(tokenizer);
      Transformer transformer = Checkpoints.load(model, manager);
      if (transformer.config().vocabSize() < tokenizer.vocabSize()) {
        throw new UserInputException(
            model + ": the model has " + transformer.config().vocabSize()
                + " token ids but its tokenizer.json " + tokenizer.vocabSize());
      }
      try (Generator generator = Generator.forChat(transformer, template)) {
        return job.run(new Evaluator(generator, template, new Verifier(VerifierConfig.defaults())));
      }
    }
  }

  /** A progress bar over completions on stderr. */
  static ProgressBar progressBar(String task, long completions) {
    return ProgressBars.create(task, completions, " completions");
  }
}
