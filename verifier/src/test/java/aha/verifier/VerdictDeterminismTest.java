package aha.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;

import aha.verifier.budget.Limits;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The same (gold, response) gets the same verdict on an idle machine and on a loaded one: the
 * verdict's bound is counted work, not the clock. The cases are the heaviest legitimate ones and
 * cases cut by the work budget, judged cold, warm, and while other threads load every core.
 */
class VerdictDeterminismTest {

  private static final String[][] CASES = {
    {"\\boxed{9\\cdot 3^n}", "3^{n+2}"},
    {"\\boxed{3^{n+2}}", "9\\cdot 3^n"},
    {"\\boxed{2^{x}\\cdot 2^{y+1}}", "2^{x+y+1}"},
    {"\\boxed{e^{x}e^{y}}", "e^{x+y}"},
    {"\\boxed{\\sin^2 x + \\cos^2 x}", "1"},
    {"\\boxed{" + "\\sin(x)+".repeat(300) + "1}", "x"},
    {"\\boxed{" + "e^{x}".repeat(60) + "}", "e^{60x}"},
  };

  @Test
  void verdictsDoNotDependOnLoad() throws InterruptedException {
    Verifier verifier = new Verifier(VerifierConfig.defaults());
    List<Verdict> cold = judgeAll(verifier);
    for (int i = 0; i < 20; i++) {
      judgeAll(verifier); // warm the JIT: verdicts must not change as the code gets faster
    }
    List<Verdict> warm = judgeAll(verifier);

    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> load = new ArrayList<>();
    for (int i = 0; i < 2 * Runtime.getRuntime().availableProcessors(); i++) {
      Thread spinner =
          new Thread(
              () -> {
                double x = 1;
                while (!stop.get()) {
                  x = Math.sin(x) + 1;
                }
              });
      spinner.start();
      load.add(spinner);
    }
    List<Verdict> loaded;
    try {
      loaded = judgeAll(verifier);
    } finally {
      stop.set(true);
      for (Thread spinner : load) {
        spinner.join();
      }
    }
    assertEquals(cold, warm);
    assertEquals(cold, loaded);
    // the last two are cut by the work budget, not by the clock
    assertEquals(
        "work budget exceeded (" + Limits.DEFAULT_MAX_WORK + " steps)", cold.get(CASES.length - 1).reason());
  }

  private static List<Verdict> judgeAll(Verifier verifier) {
    List<Verdict> verdicts = new ArrayList<>();
    for (String[] c : CASES) {
      verdicts.add(verifier.verify(c[0], c[1], null));
    }
    return verdicts;
  }
}
