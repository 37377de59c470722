package aha.runs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.grpo.train.Autograd;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gradients do not depend on the garbage collector: 300 smoke steps (100 pretraining, 100 SFT,
 * 100 GRPO) run once as they are and once with a forced collection and fresh small allocations
 * between every forward and backward pass ({@link Autograd#GC_BEFORE_BACKWARD}), each in a fresh
 * process. Every step's gradient norm must be the same double, bit for bit. Before scalar operands
 * went through libtorch-owned tensors (docs/djl-notes.md), freed memory read by backward made
 * such runs drift apart.
 *
 * <p>GRPO gets a gradient every step from the soft overlong penalty (rewards that differ by length
 * even when no answer is right), since the smoke model solves nothing.
 */
@Tag("slow")
class GcStressTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void everyGradientNormIsTheSameWithACollectionBeforeEveryBackward() throws Exception {
    List<JsonNode> plain = metrics(run("plain", false));
    List<JsonNode> churned = metrics(run("churned", true));

    assertEquals(300, plain.size(), "metrics lines");
    assertEquals(plain.size(), churned.size(), "metrics lines");
    int nonZeroGrpo = 0;
    for (int i = 0; i < plain.size(); i++) {
      JsonNode p = plain.get(i);
      JsonNode c = churned.get(i);
      String where = p.get("stage").asText() + " step " + p.get("step").asInt();
      assertEquals(p.get("stage"), c.get("stage"), where);
      // doubles compared through their bits: equal, not merely close
      assertEquals(
          Double.doubleToLongBits(p.get("grad_norm").asDouble()),
          Double.doubleToLongBits(c.get("grad_norm").asDouble()),
          where + ": grad_norm " + p.get("grad_norm") + " vs " + c.get("grad_norm"));
      if (p.get("stage").asText().equals("grpo") && p.get("grad_norm").asDouble() > 0) {
        nonZeroGrpo++;
      }
    }
    assertTrue(nonZeroGrpo >= 50, "GRPO steps with a gradient: " + nonZeroGrpo + " of 100");
  }

  /** One smoke run of 100 + 100 + 100 steps in a child JVM; returns its run directory. */
  private Path run(String name, boolean gcBeforeBackward) throws Exception {
    Path root = dir.resolve(name);
    Path log = dir.resolve(name + ".log");
    List<String> jvmOptions =
        gcBeforeBackward ? List.of("-D" + Autograd.GC_BEFORE_BACKWARD + "=true") : List.of();
    Process process =
        ChildAha.start(
            jvmOptions,
            log,
            List.of(
                "train", "--preset", "smoke", "--no-dashboard",
                "--set", "run.root=" + root,
                "--set", "base.pretrain.steps=100",
                "--set", "base.sft.steps=100",
                "--set", "grpo.steps=100",
                "--set", "grpo.reward.overlong_buffer=32",
                "--set", "grpo.reward.mask_truncated=false"));
    assertEquals(0, ChildAha.finish(process), name + " run: " + Files.readString(log));
    try (Stream<Path> runs = Files.list(root)) {
      return runs.filter(Files::isDirectory).findFirst().orElseThrow();
    }
  }

  private static List<JsonNode> metrics(Path run) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
      out.add(JSON.readTree(line));
    }
    return out;
  }
}
