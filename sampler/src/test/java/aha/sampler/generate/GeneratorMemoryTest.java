package aha.sampler.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import aha.sampler.model.ModelConfig;
import aha.sampler.model.TestModels;
import aha.sampler.model.Transformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Native memory does not grow with use: the process's resident set stays flat over 10,000 decode
 * steps of calls that vary what a call can vary (batch size, prompt lengths, sampling rules, early
 * stops). It is read at 20% and at 100% of those steps.
 *
 * <p>What the readings must ignore. The JIT and malloc's arenas reach their high-water marks only
 * after a few thousand steps (measured here: one glibc arena grew by about 25 MB between steps
 * 2,400 and 3,600, then stayed), so 5,000 steps run before the counted ones. The JVM heap grows
 * and shrinks with garbage, so every call ends with a garbage collection, and each reading is the
 * floor of the readings over a window of 500 steps: a leak raises the floor, passing peaks do not.
 * The vocabulary is large enough that leaking one step's logits would add about 600 MB.
 */
@Tag("slow")
class GeneratorMemoryTest {

  private static final int WARM_UP_STEPS = 5_000;
  private static final int COUNTED_STEPS = 10_000;
  private static final int WINDOW_STEPS = COUNTED_STEPS / 20;
  private static final double TOLERANCE = 0.05;

  /** Tiny but for the vocabulary: (9, 2048) logits per step. */
  private static final ModelConfig CONFIG =
      new ModelConfig(2048, 16, 40, 2, 4, 2, 128, 10000, 1e-5, false, true);

  @Test
  void residentMemoryStaysFlatOverTenThousandDecodeSteps() {
    boolean pytorch = "PyTorch".equals(Engine.getInstance().getEngineName());
    int threads = pytorch ? JniUtils.getNumThreads() : 1;
    // one intra-op thread: this measures memory, and on a shared machine a second thread waiting
    // on a busy core makes each of the many small ops slow
    if (pytorch) {
      JniUtils.setNumThreads(1);
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      Transformer model = TestModels.randomized(CONFIG, manager, 31);
      SamplingParams[] rules = {
        SamplingParams.greedy(40),
        SamplingParams.sampled(1.0, 40, 0),
        new SamplingParams(0.8, 5, 1, 40, 0),
        new SamplingParams(1.0, 0, 0.9, 40, 0),
      };
      Random random = new Random(5);
      long earlyFloor = Long.MAX_VALUE;
      long endFloor = Long.MAX_VALUE;
      int calls = 0;
      try (Generator generator = new Generator(model, new int[] {3})) {
        while (generator.decodeSteps() < WARM_UP_STEPS + COUNTED_STEPS) {
          int batch = 1 + random.nextInt(3) * 4; // 1, 5 or 9 rows: the cache is reallocated
          List<int[]> prompts = new ArrayList<>();
          for (int r = 0; r < batch; r++) {
            int length = 1 + random.nextInt(12);
            prompts.add(TestModels.tokens(length, CONFIG.vocabSize(), calls * 31L + r));
          }
          SamplingParams params = rules[calls % rules.length].withSeed(calls);
          assertEquals(batch, generator.sample(prompts, params).size());
          calls++;
          System.gc();
          long counted = generator.decodeSteps() - WARM_UP_STEPS;
          long early = COUNTED_STEPS / 5;
          if (counted >= early && counted < early + WINDOW_STEPS) {
            earlyFloor = Math.min(earlyFloor, residentKb());
          } else if (counted >= COUNTED_STEPS - WINDOW_STEPS) {
            endFloor = Math.min(endFloor, residentKb());
          }
        }
        double change = (endFloor - earlyFloor) / (double) earlyFloor;
        String report =
            String.format(
                Locale.ROOT,
                "resident memory floor %,d kB at 20%% of %,d decode steps (after %,d to warm up),"
                    + " %,d kB at 100%% (%+.1f%%, allowed ±%.0f%%), %d calls",
                earlyFloor,
                COUNTED_STEPS,
                WARM_UP_STEPS,
                endFloor,
                100 * change,
                100 * TOLERANCE,
                calls);
        System.out.println(report);
        assertTrue(Math.abs(change) <= TOLERANCE, report);
      }
    } finally {
      if (pytorch) {
        JniUtils.setNumThreads(threads);
      }
    }
  }

  /** VmRSS of this process, in kB. */
  private static long residentKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("no VmRSS line in /proc/self/status");
  }
}
