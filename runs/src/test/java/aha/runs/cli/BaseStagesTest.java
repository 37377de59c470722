package aha.runs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.grpo.train.BaseConfig;
import aha.problems.ProblemSets;
import aha.sampler.checkpoint.Checkpoints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The base model's stages end to end through the command line, on the tiny preset with a few steps
 * each: {@code aha pretrain} (tokenizer and pretraining), {@code aha sft} from its checkpoint, and
 * {@code aha eval} of the result on a held-out file. Checks the hand-offs between the stages, not
 * what the model learns (the slow {@code BasePipelineTest} does that).
 */
class BaseStagesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void tokenizerPretrainSftAndEvalHandOffThroughCheckpointDirectories() throws IOException {
    Path pretrained = dir.resolve("pretrain");
    CliRun pretrain =
        CliRun.of("pretrain", "--preset", "tiny", "--steps", "4", "--eval", "0", "--device", "cpu",
            "-o", pretrained.toString());
    assertEquals(0, pretrain.exitCode(), pretrain.err());
    assertTrue(pretrain.out().contains("tokenizer: "), pretrain.out());
    for (String file : new String[] {Checkpoints.CONFIG, Checkpoints.WEIGHTS, "tokenizer.json", "base.json"}) {
      assertTrue(Files.isRegularFile(pretrained.resolve(file)), file);
    }
    JsonNode pretrainReport = JSON.readTree(Files.readString(pretrained.resolve("base.json")));
    assertEquals(4, pretrainReport.at("/pretrain/steps").asInt());
    assertTrue(Double.isFinite(pretrainReport.at("/pretrain/held_out_loss").asDouble(Double.NaN)));

    Path tuned = dir.resolve("sft");
    CliRun sft =
        CliRun.of("sft", "--preset", "tiny", "--model", pretrained.toString(), "--steps", "4",
            "--eval", "2", "--device", "cpu", "-o", tuned.toString());
    assertEquals(0, sft.exitCode(), sft.err());
    assertTrue(sft.out().contains("held-out greedy pass@1"), sft.out());
    JsonNode sftReport = JSON.readTree(Files.readString(tuned.resolve("base.json")));
    assertEquals(4, sftReport.at("/sft/steps").asInt());
    assertEquals(2, sftReport.at("/eval/problems").asInt());
    // the tokenizer travels with the model
    assertEquals(
        Files.readString(pretrained.resolve("tokenizer.json")),
        Files.readString(tuned.resolve("tokenizer.json")));

    // the held-out problems the closing pass@1 was measured on, for aha eval
    Path heldOut = tuned.resolve("held-out.jsonl");
    assertEquals(BaseConfig.preset("tiny").heldOutProblems(), ProblemSets.read(heldOut).size());
    Path report = dir.resolve("eval.json");
    CliRun eval =
        CliRun.of("eval", "--model", tuned.toString(), "--problems", heldOut.toString(), "-n", "2",
            "--limit", "3", "--max-new-tokens", "16", "--device", "cpu", "-o", report.toString());
    assertEquals(0, eval.exitCode(), eval.err());
    JsonNode figures = JSON.readTree(Files.readString(report));
    assertEquals(3, figures.get("problems").asInt());
    assertTrue(figures.get("mean_length").asDouble() > 0, figures.toString());
  }

  /** A batch too big for the machine is refused with what it needs, before it is allocated. */
  @Test
  void aPretrainingBatchThatCannotFitIsRefused() {
    CliRun pretrain =
        CliRun.of("pretrain", "--preset", "tiny", "--steps", "1", "--eval", "0", "--device", "cpu",
            "--batch", "200000000", "-o", dir.resolve("too-big").toString());
    assertEquals(2, pretrain.exitCode(), pretrain.err());
    assertTrue(pretrain.err().contains("a training step of 200,000,000 x"), pretrain.err());
    assertTrue(pretrain.err().contains("lower its batch_size or seq_len"), pretrain.err());
  }

  @Test
  void sftNamesAMissingCheckpoint() {
    Path missing = dir.resolve("none");
    CliRun sft = CliRun.of("sft", "--preset", "tiny", "--model", missing.toString());
    assertEquals(2, sft.exitCode());
    assertTrue(sft.err().contains(missing.toString()), sft.err());
  }

  @Test
  void aBadCalculatorOptionIsNamed() {
    CliRun style = CliRun.of("base", "--preset", "tiny", "--tool-style", "sometimes", "-o", dir.resolve("x").toString());
    assertEquals(2, style.exitCode(), style.err());
    assertTrue(style.err().contains("--tool-style must be checks or calls, got 'sometimes'"), style.err());
    CliRun share = CliRun.of("base", "--preset", "tiny", "--tool-share", "1.5", "-o", dir.resolve("x").toString());
    assertEquals(2, share.exitCode(), share.err());
    assertTrue(share.err().contains("--tool-share: ") && share.err().contains("tool_share"), share.err());
    assertTrue(!Files.exists(dir.resolve("x")), "nothing written");
  }
}
