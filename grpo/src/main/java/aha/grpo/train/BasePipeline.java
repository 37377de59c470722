package aha.grpo.train;

import aha.grpo.corpus.Corpus;
import aha.grpo.corpus.Trace;
import aha.grpo.eval.EvalConfig;
import aha.grpo.eval.EvalReport;
import aha.grpo.eval.Evaluator;
import aha.grpo.rl.LabChat;
import aha.problems.Problem;
import aha.problems.ProblemSets;
import aha.problems.gen.CurriculumSpec;
import aha.problems.gen.ProblemGenerator;
import aha.sampler.checkpoint.Checkpoints;
import aha.sampler.generate.Generator;
import aha.sampler.model.ModelConfig;
import aha.sampler.model.Transformer;
import aha.sampler.tokenizer.BpeTrainer;
import aha.sampler.tokenizer.ChatTemplate;
import aha.sampler.tokenizer.Tokenizer;
import aha.verifier.Verifier;
import aha.verifier.VerifierConfig;
import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes the lab's base model: problems from a curriculum, then the corpus ({@link Corpus}), a
 * byte-level BPE tokenizer trained on it, pretraining on the plain-text documents, SFT on the chat
 * conversations, and a greedy pass@1 on held-out problems. Writes a checkpoint directory that
 * {@code aha sample --model DIR} loads: {@code config.json}, {@code model.safetensors}, {@code
 * tokenizer.json}, plus {@code base.json} with the recipe and the measured figures and {@code
 * held-out.jsonl} with the held-out problems for {@code aha eval}.
 *
 * <p>Held-out problems come from the same curriculum at seed + 1, minus every question that is
 * also a training question; their documents (without drill sheets) and conversations give the
 * held-out losses.
 *
 * <p>Runs on the calling thread, which owns training.
 */
public final class BasePipeline {

  /** The report file in an output directory. */
  public static final String REPORT = "base.json";

  /** The tokenizer file in a checkpoint directory. */
  public static final String TOKENIZER = "tokenizer.json";

  /**
   * The held-out problems in an SFT output directory, so that {@code aha eval} can measure the
   * model on exactly the problems {@code base.json}'s pass@1 was measured on.
   */
  public static final String HELD_OUT = "held-out.jsonl";

  /**
   * The text a run trains and measures on.
   *
   * @param train training problems
   * @param heldOut held-out problems, none sharing a question with {@code train}
   * @param corpus training documents and conversations
   * @param heldOutCorpus held-out documents and conversations
   */
  public record Data(List<Problem> train, List<Problem> heldOut, Corpus corpus, Corpus heldOutCorpus) {}

  private final BaseConfig config;
  private final CurriculumSpec curriculum;
  private final Device device;
  private final StageListener listener;
  private final Verifier verifier = new Verifier(VerifierConfig.defaults());
  private final ObjectNode report = new ObjectMapper().createObjectNode();
  private Data data;

  public BasePipeline(BaseConfig config, CurriculumSpec curriculum, Device device, StageListener listener) {
    this.config = config;
    this.curriculum = curriculum;
    this.device = device;
    this.listener = listener == null ? StageListener.NONE : listener;
    ObjectNode recipe = report.putObject("config");
    recipe.set("base", new ObjectMapper().valueToTree(config));
    recipe.put("curriculum_seed", curriculum.seed());
  }

  /** Tokenizer, pretraining and SFT into {@code out}; the pretrained checkpoint goes to {@code out/pretrain}. */
  public ObjectNode run(Path out) throws IOException {
    long start = System.nanoTime();
    pretrain(out.resolve("pretrain"), null);
    sft(out.resolve("pretrain"), out);
    report.put("total_seconds", seconds(start));
    writeReport(out);
    return report;
  }

  /**
   * Trains a tokenizer (unless {@code tokenizer} names one to use) and pretrains a fresh model,
   * written to {@code out} with its tokenizer.
   */
  public ObjectNode pretrain(Path out, Path tokenizer) throws IOException {
    Data d = data();
    Files.createDirectories(out);
    Path tokenizerFile = out.resolve(TOKENIZER);
    long start = System.nanoTime();
    if (tokenizer == null) {
      listener.onStageStart("tokenizer", 0, 0);
      List<String> texts = new ArrayList<>(d.corpus().documents());
      d.corpus().conversations().forEach(c -> texts.add(c.render()));
      // a corpus whose conversations call the calculator gets the tool tags as single tokens
      boolean tools = config.corpus().toolShare() > 0;
      BpeTrainer.withChatTokens(config.vocabSize(), tools).train(texts).save(tokenizerFile);
      listener.onStageEnd("tokenizer");
    } else {
      Path source = Files.isDirectory(tokenizer) ? tokenizer.resolve(TOKENIZER) : tokenizer;
      if (!source.toAbsolutePath().equals(tokenizerFile.toAbsolutePath())) {
        Files.copy(source, tokenizerFile, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    try (Tokenizer tok = Tokenizer.load(tokenizerFile);
        NDManager manager = NDManager.newBaseManager(device)) {
      ChatTemplate template = LabChat.template(tok);
      report.put("vocab_size", tok.vocabSize());
      report.put("tokenizer_seconds", seconds(start));
      int[] stream = stream(tok, d.corpus().documents(), template.endOfTextId());
      int[] heldOutStream = stream(tok, d.heldOutCorpus().documents(), template.endOfTextId());
      report.put("pretrain_tokens_in_corpus", stream.length);
      listener.onMessage(String.format(
          "tokenizer: %d tokens; corpus: %d documents, %,d tokens", tok.vocabSize(),
          d.corpus().documents().size(), stream.length));

      ModelConfig shape = config.model().withVocabSize(tok.vocabSize());
      Transformer model = new Transformer(shape);
      model.initialize(manager, config.seed());
      report.put("parameters", shape.parameterCount());
      TrainConfig stage = config.pretrain();
      Trainer.requireMemory(model, stage); // before the held-out windows of its size are built
      List<Batch> heldOut =
          TokenWindows.sequential(heldOutStream, stage.batchSize(), stage.seqLen(), stage.evalBatches());
      Trainer.Result result =
          train("pretrain", model, stage, new TokenWindows(stream, stage.batchSize(), stage.seqLen(), stage.seed()), heldOut);
      putResult("pretrain", result);
      Checkpoints.save(model, out);
    }
    writeReport(out);
    return report;
  }

  /** Fine-tunes the checkpoint in {@code modelDir} on the SFT conversations into {@code out}. */
  public ObjectNode sft(Path modelDir, Path out) throws IOException {
    Data d = data();
    Files.createDirectories(out);
    Path tokenizerFile = out.resolve(TOKENIZER);
    if (!modelDir.toAbsolutePath().equals(out.toAbsolutePath())) {
      Files.copy(modelDir.resolve(TOKENIZER), tokenizerFile, StandardCopyOption.REPLACE_EXISTING);
    }
    try (Tokenizer tok = Tokenizer.load(tokenizerFile);
        NDManager manager = NDManager.newBaseManager(device)) {
      ChatTemplate template = LabChat.template(tok);
      Transformer model = Checkpoints.load(modelDir, manager);
      if (model.config().vocabSize() < tok.vocabSize()) {
        throw new IllegalArgumentException(
            modelDir + ": the model has " + model.config().vocabSize()
                + " token ids, its tokenizer " + tok.vocabSize());
      }
      TrainConfig stage = config.sft();
      Trainer.requireMemory(model, stage);
      List<PackedExamples.Example> all = examples(d.corpus(), template, config.maskSlips());
      List<PackedExamples.Example> examples = PackedExamples.fitting(all, stage.seqLen());
      if (examples.isEmpty()) {
        throw new IllegalArgumentException(
            "no SFT conversation fits in " + (stage.seqLen() + 1) + " tokens; raise the sequence length");
      }
      if (examples.size() < all.size()) {
        listener.onMessage(String.format(
            "SFT: left out %d of %d conversations longer than %d tokens",
            all.size() - examples.size(), all.size(), stage.seqLen() + 1));
      }
      report.put("sft_conversations_too_long", all.size() - examples.size());
      List<PackedExamples.Example> heldOutExamples =
          PackedExamples.fitting(examples(d.heldOutCorpus(), template, config.maskSlips()), stage.seqLen());
      int pad = template.endOfTextId();
      List<Batch> heldOut = PackedExamples.all(heldOutExamples, stage.batchSize(), stage.seqLen(), pad);
      heldOut = heldOut.subList(0, Math.min(heldOut.size(), Math.max(1, stage.evalBatches())));
      listener.onMessage(String.format(
          "SFT: %d conversations, longest %d tokens", examples.size(),
          examples.stream().mapToInt(e -> e.ids().length).max().orElse(0)));
      Trainer.Result result =
          train("sft", model, stage,
              new PackedExamples(examples, stage.batchSize(), stage.seqLen(), pad, stage.seed()), heldOut);
      putResult("sft", result);
      Checkpoints.save(model, out);
      ProblemSets.write(out.resolve(HELD_OUT), d.heldOut());
      if (config.evalProblems() > 0) {
        evaluate(model, template, d.heldOut().subList(0, Math.min(config.evalProblems(), d.heldOut().size())));
      }
    }
    writeReport(out);
    return report;
  }

  /** The problems and corpus of this run, made once. */
  public Data data() {
    if (data != null) {
      return data;
    }
    long start = System.nanoTime();
    listener.onMessage("corpus: generating " + config.corpus().problems() + " problems");
    List<Problem> train = generate(curriculum, config.corpus().problems());
    Set<String> seen = new HashSet<>();
    train.forEach(p -> seen.add(p.question()));
    CurriculumSpec other = new CurriculumSpec(curriculum.seed() + 1, curriculum.count(), curriculum.families());
    List<Problem> heldOut = new ArrayList<>();
    for (Problem p : generate(other, 2 * config.heldOutProblems())) {
      if (heldOut.size() < config.heldOutProblems() && seen.add(p.question())) {
        heldOut.add(p);
      }
    }
    Corpus corpus = Corpus.build(train, config.corpus(), verifier);
    Corpus heldOutCorpus =
        Corpus.build(
            heldOut, config.corpus().withSizes(heldOut.size(), heldOut.size()).withFactSheets(0), verifier);
    data = new Data(train, heldOut, corpus, heldOutCorpus);
    report.set("corpus", new ObjectMapper().valueToTree(corpus.stats()));
    report.put("held_out_problems", heldOut.size());
    report.put("corpus_seconds", seconds(start));
    return data;
  }

  /** The curriculum's problems; a curriculum too small for the count is the user's to fix. */
  private static List<Problem> generate(CurriculumSpec spec, int count) {
    try {
      return ProblemGenerator.generate(spec, count);
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException(
          "the curriculum cannot make the " + count + " distinct problems this recipe needs: " + e.getMessage(), e);
    }
  }

  private Trainer.Result train(
      String stage, Transformer model, TrainConfig trainConfig, java.util.function.Supplier<Batch> batches,
      List<Batch> heldOut) {
    listener.onStageStart(stage, 0, trainConfig.steps());
    try (Trainer trainer = new Trainer(model, trainConfig)) {
      Trainer.Result result = trainer.train(batches, heldOut, stage, listener);
      listener.onStageEnd(stage);
      listener.onMessage(String.format(
          "%s: %d steps in %.0f s (%.0f ms/step), loss %.3f -> %.3f, held-out %.3f",
          stage, result.steps(), result.seconds(), 1000 * result.secondsPerStep(),
          result.firstLoss(), result.trainLoss(), result.heldOutLoss()));
      return result;
    }
  }

  private void evaluate(Transformer model, ChatTemplate template, List<Problem> problems) {
    long start = System.nanoTime();
    listener.onStageStart("eval", 0, problems.size());
    EvalConfig evalConfig =
        EvalConfig.protocol(0, 1.0, config.evalMaxNewTokens(), config.seed());
    EvalReport result;
    try (Generator generator = Generator.forChat(model, template)) {
      int[] done = {0};
      result = new Evaluator(generator, template, verifier).evaluate(problems, evalConfig, n -> {
        done[0] += n;
        listener.onStep("eval", done[0], Map.of());
      });
    }
    listener.onStageEnd("eval");
    try {
      report.set("eval", new ObjectMapper().readTree(result.toJson(0)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    report.put("eval_seconds", seconds(start));
    listener.onMessage("held-out greedy pass@1:\n" + result.format());
  }

  /** The tokens of every SFT conversation with its loss mask (assistant tokens, slips left out). */
  static List<PackedExamples.Example> examples(Corpus corpus, ChatTemplate template, boolean maskSlips) {
    Tokenizer tokenizer = template.tokenizer();
    List<String> texts = corpus.conversations().stream().map(Corpus.Conversation::render).toList();
    int[][] ids = tokenizer.encodeBatch(texts);
    List<PackedExamples.Example> examples = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      boolean[] mask = template.assistantMask(ids[i]);
      List<Trace.Span> slips = maskSlips ? corpus.conversations().get(i).slipSpans() : List.of();
      for (Trace.Span span : slips) {
        // the slip's tokens: those added between the prefixes before and after it; a minus sign
        // stays in (it is one pre-token with the space before it, so no cut can fall between them)
        int from = texts.get(i).charAt(span.start()) == '-' ? span.start() + 1 : span.start();
        int[] before = tokenizer.encode(texts.get(i).substring(0, from));
        int[] after = tokenizer.encode(texts.get(i).substring(0, span.end()));
        if (isPrefix(before, ids[i]) && isPrefix(after, ids[i])) {
          Arrays.fill(mask, before.length, after.length, false);
        }
      }
      examples.add(new PackedExamples.Example(ids[i], mask));
    }
    return examples;
  }

  private static boolean isPrefix(int[] prefix, int[] ids) {
    return prefix.length <= ids.length && Arrays.equals(prefix, 0, prefix.length, ids, 0, prefix.length);
  }

  /** The documents' tokens, each followed by {@code <|endoftext|>}, as one stream. */
  static int[] stream(Tokenizer tokenizer, List<String> documents, int endOfText) {
    int[][] ids = tokenizer.encodeBatch(documents);
    int total = 0;
    for (int[] doc : ids) {
      total += doc.length + 1;
    }
    int[] stream = new int[total];
    int at = 0;
    for (int[] doc : ids) {
      System.arraycopy(doc, 0, stream, at, doc.length);
      at += doc.length;
      stream[at++] = endOfText;
    }
    return stream;
  }

  private void putResult(String stage, Trainer.Result result) {
    ObjectNode node = report.putObject(stage);
    node.put("steps", result.steps());
    node.put("tokens", result.tokens());
    node.put("seconds", result.seconds());
    node.put("ms_per_step", 1000 * result.secondsPerStep());
    node.put("first_loss", result.firstLoss());
    node.put("train_loss", result.trainLoss());
    node.put("held_out_loss", result.heldOutLoss());
  }

  private void writeReport(Path out) throws IOException {
    Files.writeString(
        out.resolve(REPORT),
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report) + "\n");
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
