package aha.grpo.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import aha.sampler.generate.Generator;
import aha.sampler.model.ModelConfig;
import aha.sampler.model.Transformer;
import aha.sampler.tokenizer.BpeTrainer;
import aha.sampler.tokenizer.ChatTemplate;
import aha.sampler.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lab samples with the calculator exactly when its tokenizer has the tool tags. */
class LabChatTest {

  @TempDir Path dir;

  @Test
  void generatorsAnswerCallsOnlyWhenTheTokenizerHasTheToolTags() throws IOException {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      texts.add("What is " + i + " * 6? " + i + " * 6 = " + (i * 6) + ". The answer is " + (i * 6) + ".");
    }
    for (boolean tools : new boolean[] {true, false}) {
      Path file = dir.resolve(tools + ".json");
      BpeTrainer.withChatTokens(300, tools).train(texts).save(file);
      try (Tokenizer tokenizer = Tokenizer.load(file);
          NDManager manager = NDManager.newBaseManager()) {
        ChatTemplate template = LabChat.template(tokenizer);
        assertEquals(tools, template.hasTools());
        assertEquals("222", template.tool().apply("37 * 6"), "the tool is the verifier's calculator");
        assertEquals("error", template.tool().apply("37 / 0"));
        Transformer model = new Transformer(ModelConfig.tiny().withVocabSize(tokenizer.vocabSize()));
        model.initialize(manager, 1);
        try (Generator generator = Generator.forChat(model, template)) {
          assertEquals(tools, generator.answersToolCalls(), "tools " + tools);
        }
      }
    }
  }
}
