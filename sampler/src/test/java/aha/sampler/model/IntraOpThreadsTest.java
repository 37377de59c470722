package aha.sampler.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.pytorch.jni.JniUtils;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IntraOpThreadsTest {

  private static final List<String> PROC_STAT =
      List.of(
          "cpu  1000 10 200 5000 30 0 40 0 0 0",
          "cpu0 500 5 100 2500 15 0 20 0 0 0",
          "cpu1 500 5 100 2500 15 0 20 0 0 0",
          "intr 12345 0 0",
          "ctxt 999");

  // a command name with a space and a ')' in it, as Linux allows: fields count from the last ')'
  private static final String SELF_STAT =
      "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 300 50 0 0 20 0 40 0 1 2 3";

  @AfterEach
  void fitAgain() {
    IntraOpThreads.fitToLoad();
  }

  @Test
  void readsTheCoresTheirBusyTimeAndThisProcesssTime() {
    IntraOpThreads.CpuTimes t = IntraOpThreads.CpuTimes.parse(PROC_STAT, SELF_STAT);
    assertEquals(2, t.cores());
    assertEquals(1000 + 10 + 200 + 40, t.busyTicks(), "user + nice + system + irq + softirq + steal");
    assertEquals(1250 + 5000 + 30, t.totalTicks(), "busy + idle + iowait");
    assertEquals(350, t.ownTicks(), "utime + stime");
    assertNull(IntraOpThreads.CpuTimes.parse(List.of("intr 1 2"), SELF_STAT), "no cpu line");
  }

  @Test
  void otherProcessesWorkIsTheBusyTimeThisProcessDidNotDo() {
    IntraOpThreads.CpuTimes before = new IntraOpThreads.CpuTimes(2, 1000, 10_000, 400);
    // one second on 2 cores (200 ticks): both busy, this process 130 of them, others 70
    IntraOpThreads.CpuTimes after = new IntraOpThreads.CpuTimes(2, 1200, 10_200, 530);
    assertEquals(0.7, after.otherCoresSince(before), 1e-9);
    // all the busy time this process's own
    IntraOpThreads.CpuTimes alone = new IntraOpThreads.CpuTimes(2, 1200, 10_200, 600);
    assertEquals(0, alone.otherCoresSince(before), 1e-9);
    assertEquals(0, before.otherCoresSince(before), 1e-9, "no time passed");
  }

  @Test
  void leavesOtherProcessesTheCoresTheyUse() {
    assertEquals(2, IntraOpThreads.threadsBeside(0.0, 2), "idle: every core");
    assertEquals(2, IntraOpThreads.threadsBeside(0.3, 2), "a little background work");
    assertEquals(1, IntraOpThreads.threadsBeside(0.7, 2), "one busy process against two spinning threads");
    assertEquals(1, IntraOpThreads.threadsBeside(1.0, 2), "one busy process against one thread");
    assertEquals(1, IntraOpThreads.threadsBeside(5.0, 2), "never fewer than one");
    assertEquals(12, IntraOpThreads.threadsBeside(4.0, 16));
  }

  @Test
  void aFixedCountHoldsWhateverTheLoadAndReachesLibtorch() {
    IntraOpThreads.use(1);
    assertTrue(IntraOpThreads.fixed());
    assertEquals(1, IntraOpThreads.current());
    IntraOpThreads.fit();
    assertEquals(1, JniUtils.getNumThreads(), "the calling thread's libtorch count");
    assertEquals("1 thread", IntraOpThreads.describe(1));
    IntraOpThreads.use(0);
    assertFalse(IntraOpThreads.fixed());
    assertThrows(IllegalArgumentException.class, () -> IntraOpThreads.fix(0));
  }

  /** A busy process beside this one takes a core: the fitted count drops within a few windows. */
  @Test
  void aBusyProcessBesideThisOneTakesACore() throws Exception {
    int cores = coresWithProcReadings();
    int seen = threadsSeenBesideABusyProcess(cores);
    assertTrue(seen < cores, "still " + seen + " threads beside a busy process on " + cores + " cores");
  }

  /** Restarted after the busy process ended, the window holds nothing yet: every core again. */
  @Test
  void aRestartedWindowForgetsWorkThatHasEnded() throws Exception {
    int cores = coresWithProcReadings();
    int seen = threadsSeenBesideABusyProcess(cores);
    assumeTrue(seen < cores, "the busy process never showed (a loaded machine)");
    // the window still holds the busy process's work, which has ended
    IntraOpThreads.restartLoadWindow();
    assertEquals(cores, IntraOpThreads.current());
  }

  /** This JVM's cores, skipping the test unless there are two or more and /proc counts them. */
  private static int coresWithProcReadings() {
    int cores = Runtime.getRuntime().availableProcessors();
    assumeTrue(cores >= 2, "needs two cores");
    IntraOpThreads.CpuTimes reading = IntraOpThreads.CpuTimes.read();
    assumeTrue(reading != null && reading.cores() == cores, "needs Linux's /proc, counting this JVM's cores");
    return cores;
  }

  /**
   * Starts a window, runs a busy process beside this one until the fitted count drops (10 s at
   * most), ends it, and returns the last count seen.
   */
  private static int threadsSeenBesideABusyProcess(int cores) throws Exception {
    IntraOpThreads.restartLoadWindow();
    IntraOpThreads.current(); // a first reading to compare with
    Process busy = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
    int seen = cores;
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (seen == cores && System.nanoTime() < deadline) {
        Thread.sleep(200);
        seen = IntraOpThreads.current();
      }
    } finally {
      busy.destroyForcibly().waitFor();
    }
    return seen;
  }
}
