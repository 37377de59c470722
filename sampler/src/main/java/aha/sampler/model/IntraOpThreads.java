package aha.sampler.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * libtorch's intra-op thread count, fitted to the cores that the rest of the machine leaves free.
 *
 * <p>Why: libtorch's OpenMP threads spin while they wait for each other. When another process
 * holds one of the cores, a spinning thread burns its time slice waiting for a peer that is not
 * running, and a training step takes three to four times as long (docs/compute.md: the nano step
 * kept 0.23-0.34 of its idle throughput beside one busy process). One thread has no one to wait
 * for and keeps 0.6-0.9 of it. So each thread that computes calls {@link #fit()} before a forward
 * pass, and gets as many threads as there are cores minus what other processes used in the last
 * second: all of them on an idle machine (libtorch's default, so idle speed is unchanged), fewer
 * as soon as something else wants a core, all again when it is gone. A forward pass too small to
 * share ({@link #ONE_THREAD_BELOW_FLOPS}: decode steps of a small model or a small batch) runs on
 * one thread whatever the load.
 *
 * <p>What other processes use is read from Linux's {@code /proc/stat} (every core's busy time)
 * less {@code /proc/self/stat} (this process's CPU time). Where those cannot be read, or where
 * {@code /proc/stat} counts more cores than the JVM may use (a container with a CPU quota on a
 * bigger host, where other tenants' work would look like competition), the count stays at its
 * maximum.
 *
 * <p>{@link #fix(int)} (the {@code --threads} options) turns the fitting off: every computing
 * thread then uses that count, whatever the load. The count is per thread in OpenMP, so the
 * sampler's worker threads and the trainer's thread each set their own.
 *
 * <p>Results: on the shapes measured (nano and micro training steps, nano sampling at batch 48) one
 * and two threads give bit-identical losses and completions, but kernels are free to block
 * reductions by thread count, and some do: the default job's sampler log-probabilities moved in
 * their last bits when late decode steps went to one thread (docs/compute.md). A run that must be
 * reproducible bit for bit under changing load should fix the count.
 */
public final class IntraOpThreads {

  /**
   * Forward passes of fewer matmul FLOPs than this run on one thread. Below it, a step is a few
   * hundred operations of a few microseconds each, and two threads meeting at every one of them
   * cost more than they share. Measured on 2 idle cores with MKL on its AVX-512 path
   * (docs/compute.md, "MKL on a non-Intel CPU"), decoding at a fixed count, two rounds: nano at
   * batch 16 (24 MFLOP a step) 21-22k tokens/s on one thread against 9-13k on two, batch 32 (48
   * MFLOP) 27-30k against 21-23k, batch 64 (97 MFLOP) 33-36k against 23-26k; nano at batch 128
   * (194 MFLOP) and micro at batch 16 (160 MFLOP) the same on either; micro at batch 64 (640 MFLOP)
   * 7.2-7.5k against 8.1-8.5k, where two win. (With MKL's baseline kernels the crossing was near
   * 64 MFLOP.)
   */
  public static final long ONE_THREAD_BELOW_FLOPS = 128_000_000L;

  /** How often the load is read again: often enough to follow a job starting or ending. */
  static final long WINDOW_NANOS = 1_000_000_000L;

  private static final Path PROC_STAT = Path.of("/proc/stat");
  private static final Path PROC_SELF_STAT = Path.of("/proc/self/stat");

  private static final Object LOCK = new Object();
  private static final ThreadLocal<int[]> APPLIED = ThreadLocal.withInitial(() -> new int[1]);

  /** 0 while fitting to the load, else the count {@link #fix} set. */
  private static volatile int fixedCount;

  /** The count every computing thread should use now. */
  private static volatile int chosen;

  /** When the load was last read (written under LOCK, read without it on the fast path). */
  private static volatile long lastNanos;

  /** Guarded by LOCK: the last reading, and whether readings work here at all. */
  private static CpuTimes last;
  private static boolean unreadable;

  private IntraOpThreads() {}

  /** Every computing thread uses {@code threads} threads from now on, whatever the load. */
  public static void fix(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    fixedCount = threads;
    apply(threads);
  }

  /**
   * Applies a thread setting as the {@code --threads} options and the benchmarks take it: 0 fits
   * the count to the load (the default), N fixes it at N.
   */
  public static void use(int setting) {
    if (setting == 0) {
      fitToLoad();
    } else {
      fix(setting);
    }
  }

  /** The most threads {@code setting} allows: N, or for 0 one per core. */
  public static int most(int setting) {
    return setting == 0 ? Runtime.getRuntime().availableProcessors() : setting;
  }

  /** {@code setting} for a report: "2 threads", or "threads fitted to the load (at most 2)". */
  public static String describe(int setting) {
    return setting == 0
        ? "threads fitted to the load (at most " + most(0) + ")"
        : setting + (setting == 1 ? " thread" : " threads");
  }

  /** Goes back to fitting the count to the load (the default). */
  public static void fitToLoad() {
    fixedCount = 0;
  }

  /**
   * Forgets the load seen so far: the next fit starts a new window, with every core until its
   * first second is read. For a caller that knows the last window held work that has ended and
   * that it does not compete with, such as a benchmark's peer run between two of its own.
   */
  public static void restartLoadWindow() {
    synchronized (LOCK) {
      last = null;
      chosen = 0;
    }
  }

  /** Whether a count was {@linkplain #fix fixed}. */
  public static boolean fixed() {
    return fixedCount > 0;
  }

  /**
   * Sets the calling thread's libtorch thread count to what the load allows now; cheap enough to
   * call before every forward pass (a clock read, a thread-local read, and once a second two small
   * file reads). Does nothing unless the engine is PyTorch.
   */
  public static void fit() {
    fit(Long.MAX_VALUE);
  }

  /**
   * Like {@link #fit()} for an operation of {@code flops} matmul FLOPs: one thread when it is
   * smaller than {@link #ONE_THREAD_BELOW_FLOPS}, unless the count is fixed.
   */
  public static void fit(long flops) {
    int want = fixedCount == 0 && flops < ONE_THREAD_BELOW_FLOPS ? 1 : current();
    int[] applied = APPLIED.get();
    if (applied[0] != want) {
      apply(want);
    }
  }

  /** The count {@link #fit()} would set now. */
  public static int current() {
    int fixedNow = fixedCount;
    return fixedNow > 0 ? fixedNow : chooseForLoad();
  }

  /**
   * The threads to use beside {@code otherCores} cores' worth of other processes' work, on a
   * machine of {@code cores} cores: the free cores, rounded to the nearest, at least 1 and at
   * most {@code cores}. Beside one busy process on 2 cores, two spinning threads leave it about
   * 0.7 of a core and one thread leaves it a whole one; either way this gives 1.
   */
  static int threadsBeside(double otherCores, int cores) {
    long free = Math.round(cores - Math.max(0, otherCores));
    return (int) Math.max(1, Math.min(cores, free));
  }

  private static int chooseForLoad() {
    long now = System.nanoTime();
    int chosenNow = chosen;
    if (chosenNow > 0 && now - lastNanos < WINDOW_NANOS) {
      return chosenNow;
    }
    synchronized (LOCK) {
      if (chosen > 0 && now - lastNanos < WINDOW_NANOS) {
        return chosen; // another thread read it meanwhile
      }
      int cores = Runtime.getRuntime().availableProcessors();
      lastNanos = now;
      CpuTimes reading = unreadable ? null : CpuTimes.read();
      if (reading == null || reading.cores() != cores) {
        unreadable = true; // no /proc, or a quota on a bigger host: other tenants are not competition
        chosen = cores;
        return chosen;
      }
      if (last != null) {
        chosen = threadsBeside(reading.otherCoresSince(last), cores);
      } else {
        chosen = cores; // the first call: nothing to compare with yet
      }
      last = reading;
      return chosen;
    }
  }

  private static void apply(int threads) {
    if ("PyTorch".equals(Engine.getInstance().getEngineName())) {
      JniUtils.setNumThreads(threads);
    }
    APPLIED.get()[0] = threads;
  }

  /**
   * One reading of the CPU time counters, in clock ticks: every core's busy and total time, and
   * this process's own CPU time.
   */
  record CpuTimes(int cores, long busyTicks, long totalTicks, long ownTicks) {

    /** Cores' worth of work that other processes did between {@code earlier} and this reading. */
    double otherCoresSince(CpuTimes earlier) {
      long total = totalTicks - earlier.totalTicks; // summed over the cores
      if (total <= 0) {
        return 0;
      }
      long others = (busyTicks - earlier.busyTicks) - (ownTicks - earlier.ownTicks);
      return Math.max(0, others) * (double) cores / total;
    }

    /** Reads /proc; null where it cannot be read or parsed. */
    static CpuTimes read() {
      try {
        return parse(Files.readAllLines(PROC_STAT), Files.readString(PROC_SELF_STAT));
      } catch (IOException | RuntimeException e) {
        return null; // not Linux, or a /proc this does not understand: keep every core
      }
    }

    /**
     * Parses {@code /proc/stat} (its "cpu" line: user nice system idle iowait irq softirq steal
     * ..., and one "cpuN" line per core) and {@code /proc/self/stat} (utime and stime are the
     * 14th and 15th fields; the 2nd, the command name, may hold spaces, so fields are counted
     * from the last ')').
     */
    static CpuTimes parse(List<String> procStat, String selfStat) {
      long busy = -1;
      long total = 0;
      int cores = 0;
      for (String line : procStat) {
        if (line.startsWith("cpu ")) {
          String[] f = line.trim().split("\\s+");
          long user = Long.parseLong(f[1]);
          long nice = Long.parseLong(f[2]);
          long system = Long.parseLong(f[3]);
          long idle = Long.parseLong(f[4]);
          long iowait = f.length > 5 ? Long.parseLong(f[5]) : 0;
          long irq = f.length > 6 ? Long.parseLong(f[6]) : 0;
          long softirq = f.length > 7 ? Long.parseLong(f[7]) : 0;
          long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
          busy = user + nice + system + irq + softirq + steal;
          total = busy + idle + iowait;
        } else if (line.startsWith("cpu")) {
          cores++;
        }
      }
      if (busy < 0 || cores == 0) {
        return null;
      }
      String[] f = selfStat.substring(selfStat.lastIndexOf(')') + 2).split(" ");
      long own = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
      return new CpuTimes(cores, busy, total, own);
    }
  }
}
