package aha.runs.cli;

import aha.problems.Problem;
import aha.problems.ProblemSets;
import aha.problems.gen.ProblemGenerator;
import aha.sampler.checkpoint.Checkpoints;
import aha.sampler.model.ModelConfig;
import aha.sampler.model.Transformer;
import aha.sampler.tokenizer.BpeTrainer;
import aha.sampler.tokenizer.ChatTemplate;
import aha.sampler.tokenizer.Message;
import aha.sampler.tokenizer.Tokenizer;
import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A checkpoint for the tests of commands that load one: a random 2-layer model of width 16 and a
 * tokenizer trained on a few chats in the lab's template, so that prompts encode as they do for a
 * real checkpoint. Its completions are noise; what a test checks is the command around them.
 */
final class TinyCheckpoint {
  private TinyCheckpoint() {}

  /** Writes 4 problems of 2 families (addition and gcd, level 1) to {@code file}; returns it. */
  static Path writeTwoFamilies(Path file) throws IOException {
    List<Problem> set = new ArrayList<>(ProblemGenerator.generate("addition", 1, 2, 7));
    set.addAll(ProblemGenerator.generate("gcd", 1, 2, 7));
    ProblemSets.write(file, set);
    return file;
  }

  /** Writes the checkpoint (config.json, weights, tokenizer.json) into {@code dir}; returns it. */
  static Path write(Path dir) throws IOException {
    List<String> corpus = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      corpus.add(
          ChatTemplate.render(
              List.of(
                  Message.system(ChatTemplate.DEFAULT_SYSTEM_PROMPT),
                  Message.user("What is " + i + " + " + (i + 1) + "?"),
                  Message.assistant(i + " + " + (i + 1) + " = " + (2 * i + 1), "" + (2 * i + 1)))));
    }
    Files.createDirectories(dir);
    BpeTrainer.withChatTokens(300).train(corpus).save(dir.resolve("tokenizer.json"));
    int vocab;
    try (Tokenizer tokenizer = Tokenizer.load(dir)) {
      vocab = tokenizer.vocabSize();
    }
    ModelConfig config = new ModelConfig(vocab, 16, 40, 2, 4, 2, 256, 10000, 1e-5, false, false);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Transformer model = new Transformer(config);
      model.initialize(manager, 1);
      Checkpoints.save(model, dir);
    }
    return dir;
  }
}
