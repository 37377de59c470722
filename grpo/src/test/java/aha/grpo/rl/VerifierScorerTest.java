package aha.grpo.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.problems.AnswerKind;
import aha.problems.Problem;
import aha.sampler.generate.Completion;
import aha.sampler.generate.FinishReason;
import aha.sampler.tokenizer.BpeTrainer;
import aha.sampler.tokenizer.ChatTemplate;
import aha.sampler.tokenizer.Message;
import aha.sampler.tokenizer.Tokenizer;
import aha.verifier.Verifier;
import aha.verifier.VerifierConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifierScorerTest {

  @TempDir Path dir;

  private static final Problem TWO = new Problem("p1", "What is 1 + 1?", "2", AnswerKind.NUMERIC, null, null);

  /** The assistant turn's tokens, as the sampler would return them (stop token included). */
  private static Completion completion(ChatTemplate template, String think, String answer) {
    List<Message> messages = new ArrayList<>(ChatTemplate.reasoningConversation(TWO.question()));
    int promptLength = template.encodePrompt(messages).length;
    messages.add(Message.assistant(think, answer));
    int[] all = template.encode(messages);
    int[] tokens = java.util.Arrays.copyOfRange(all, promptLength, all.length);
    return new Completion(tokens, new float[tokens.length], FinishReason.STOP);
  }

  @Test
  void readsTheTurnAndVerifiesItsAnswerAndScoresAnUndecodableOneWrong() throws Exception {
    List<String> corpus = new ArrayList<>();
    for (int d = 0; d <= 9; d++) {
      List<Message> messages = new ArrayList<>(ChatTemplate.reasoningConversation(TWO.question()));
      messages.add(Message.assistant("1 + 1", Integer.toString(d)));
      corpus.add(ChatTemplate.render(messages));
    }
    BpeTrainer.withChatTokens(300).train(corpus).save(dir.resolve("tokenizer.json"));
    try (Tokenizer tokenizer = Tokenizer.load(dir)) {
      ChatTemplate template = new ChatTemplate(tokenizer);
      VerifierScorer scorer = new VerifierScorer(template, new Verifier(VerifierConfig.defaults()));

      VerifierScorer.Read right = scorer.score(TWO, completion(template, "1 + 1", "2"));
      VerifierScorer.Read wrong = scorer.score(TWO, completion(template, "1 + 1", "3"));
      int outside = tokenizer.vocabSize() + 7;
      VerifierScorer.Read undecodable =
          scorer.score(TWO, new Completion(new int[] {outside}, new float[1], FinishReason.LENGTH));

      assertTrue(right.verdict().correct(), right.toString());
      assertTrue(right.text().contains("<answer>2</answer>"), right.text());
      assertFalse(wrong.verdict().correct(), wrong.toString());
      assertTrue(wrong.verdict().formatOk(), wrong.toString());
      assertFalse(undecodable.verdict().correct());
      assertEquals("", undecodable.text());
      assertTrue(undecodable.verdict().reason().startsWith("undecodable: "), undecodable.verdict().reason());
    }
  }
}
