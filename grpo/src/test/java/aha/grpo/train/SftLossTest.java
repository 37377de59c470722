package aha.grpo.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.grpo.corpus.Corpus;
import aha.grpo.corpus.CorpusConfig;
import aha.grpo.corpus.Trace;
import aha.problems.Problem;
import aha.problems.gen.CurriculumSpec;
import aha.problems.gen.ProblemGenerator;
import aha.sampler.model.ModelConfig;
import aha.sampler.model.Transformer;
import aha.sampler.tokenizer.BpeTrainer;
import aha.sampler.tokenizer.ChatTemplate;
import aha.sampler.tokenizer.Tokenizer;
import aha.verifier.Verifier;
import aha.verifier.VerifierConfig;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SftLossTest {

  @TempDir static Path dir;
  private static Corpus corpus;
  private static Tokenizer tokenizer;
  private static ChatTemplate template;

  @BeforeAll
  static void setUp() throws Exception {
    List<Problem> problems = ProblemGenerator.generate(CurriculumSpec.defaultSpec(), 200);
    corpus = Corpus.build(problems, CorpusConfig.of(200, 200).withSelfChecks(0.5, 0.5).withFactSheets(0),
        new Verifier(VerifierConfig.defaults()));
    List<String> texts = new ArrayList<>(corpus.documents());
    corpus.conversations().forEach(c -> texts.add(c.render()));
    BpeTrainer.withChatTokens(400).train(texts).save(dir.resolve("tokenizer.json"));
    tokenizer = Tokenizer.load(dir);
    template = new ChatTemplate(tokenizer);
  }

  @AfterAll
  static void tearDown() {
    tokenizer.close();
  }

  @Test
  void theLossIsOnAssistantTokensOnly() {
    List<PackedExamples.Example> examples = BasePipeline.examples(corpus, template, true);
    // a conversation without a slip: a slip's tokens are masked too (tested below)
    int first = 0;
    while (corpus.conversations().get(first).trace().check() == Trace.Check.SLIP) {
      first++;
    }
    PackedExamples.Example example = examples.get(first);
    int length = example.ids().length + 8;
    Batch batch = PackedExamples.all(List.of(example), 1, length, template.endOfTextId()).get(0);
    // the first counted target is the first token after <|im_start|>assistant<|im_sep|>
    String rendered = corpus.conversations().get(first).render();
    String header = ChatTemplate.IM_START + "assistant" + ChatTemplate.IM_SEP;
    String prompt = rendered.substring(0, rendered.indexOf(header) + header.length());
    int promptTokens = tokenizer.encode(prompt).length;
    for (int i = 0; i < length; i++) {
      boolean counted = batch.mask()[i] > 0;
      assertEquals(i >= promptTokens - 1 && i < example.ids().length - 1, counted, "position " + i);
    }

    try (NDManager manager = NDManager.newBaseManager()) {
      ModelConfig config = ModelConfig.tiny().withVocabSize(tokenizer.vocabSize());
      config = new ModelConfig(config.vocabSize(), 16, 40, 2, 4, 2, 512, 10000, 1e-5, false, false);
      Transformer model = new Transformer(config);
      model.initialize(manager, 7);
      float loss = Trainer.loss(model, manager, batch).getFloat();

      // a user token's target changes: the loss does not
      int user = promptTokens - 10;
      long[] targets = batch.targets().clone();
      targets[user] = (targets[user] + 1) % tokenizer.vocabSize();
      Batch changedUser = new Batch(1, length, batch.inputs(), targets, batch.mask());
      assertEquals(loss, Trainer.loss(model, manager, changedUser).getFloat(), 0f);

      // an assistant token's target changes: it does
      long[] assistantTargets = batch.targets().clone();
      assistantTargets[promptTokens + 2] = (assistantTargets[promptTokens + 2] + 1) % tokenizer.vocabSize();
      Batch changedAssistant = new Batch(1, length, batch.inputs(), assistantTargets, batch.mask());
      assertNotEquals(loss, Trainer.loss(model, manager, changedAssistant).getFloat());
    }
  }

  @Test
  void slippedValuesAreLeftOutOfTheLoss() {
    List<PackedExamples.Example> masked = BasePipeline.examples(corpus, template, true);
    List<PackedExamples.Example> unmasked = BasePipeline.examples(corpus, template, false);
    int slips = 0;
    for (int i = 0; i < masked.size(); i++) {
      Corpus.Conversation conversation = corpus.conversations().get(i);
      boolean[] a = masked.get(i).mask();
      boolean[] b = unmasked.get(i).mask();
      int differ = 0;
      for (int t = 0; t < a.length; t++) {
        assertFalse(a[t] && !b[t], "masking slips only removes tokens");
        differ += a[t] != b[t] ? 1 : 0;
      }
      if (conversation.trace().check() == Trace.Check.SLIP) {
        slips++;
        // digits are single tokens: one per digit, plus the fraction bar of a fraction
        Trace trace = conversation.trace();
        String slip = trace.text(trace.slips().get(0));
        long digits = slip.chars().filter(Character::isDigit).count();
        assertEquals(digits + (slip.contains("/") ? 1 : 0), differ, "slip " + slip);
      } else {
        assertEquals(0, differ);
        assertArrayEquals(b, a);
      }
    }
    assertTrue(slips > 10, "only " + slips + " slips");
  }
}
