package aha.grpo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.problems.gen.CurriculumSpec;
import aha.sampler.checkpoint.Checkpoints;
import aha.sampler.model.Transformer;
import aha.sampler.tokenizer.ChatTemplate;
import aha.sampler.tokenizer.Tokenizer;
import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("slow")
class BasePipelineTest {

  @TempDir Path dir;

  @Test
  void theTinyPipelineLearnsAndWritesALoadableCheckpoint() throws Exception {
    BaseConfig config = BaseConfig.preset("tiny");
    Path out = dir.resolve("base");
    new BasePipeline(config, CurriculumSpec.defaultSpec(), Device.cpu(), null).run(out);

    JsonNode report = new ObjectMapper().readTree(Files.readString(out.resolve(BasePipeline.REPORT)));
    double first = report.at("/pretrain/first_loss").asDouble();
    double last = report.at("/pretrain/train_loss").asDouble();
    assertTrue(last < first - 0.3, "pretraining loss " + first + " -> " + last);
    assertTrue(report.at("/sft/train_loss").asDouble() < report.at("/sft/first_loss").asDouble());
    assertTrue(Double.isFinite(report.at("/sft/held_out_loss").asDouble()));
    assertEquals(config.evalProblems(), report.at("/eval/problems").asInt());

    try (Tokenizer tokenizer = Tokenizer.load(out);
        NDManager manager = NDManager.newBaseManager()) {
      new ChatTemplate(tokenizer); // has the chat tokens
      Transformer model = Checkpoints.load(out, manager);
      assertEquals(tokenizer.vocabSize(), model.config().vocabSize());
      assertEquals(config.model().hiddenSize(), model.config().hiddenSize());
    }
    // the pretrained stage is kept beside it, with its tokenizer
    assertTrue(Files.isRegularFile(out.resolve("pretrain").resolve(Checkpoints.WEIGHTS)));
    assertTrue(Files.isRegularFile(out.resolve("pretrain").resolve(BasePipeline.TOKENIZER)));
  }
}
