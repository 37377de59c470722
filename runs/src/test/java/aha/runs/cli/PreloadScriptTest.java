package aha.runs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.util.Utils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code native/preload}, which picks what {@code ./aha} preloads ahead of libtorch, run on a copy
 * of the folder: the MKL vendor library is built, reused, and left out when asked or when no
 * compiler is there.
 */
class PreloadScriptTest {

  private static final Path NATIVE = Path.of("..", "native");
  private static final String LIBRARY = "libmkl_any_cpu.so";

  @TempDir Path dir;

  private record Result(int exit, String stdout, String stderr) {}

  @Test
  void keepLeavesTheVendorLibraryOut() throws Exception {
    Result result = run(Map.of("AHA_MKL_VENDOR_CHECK", "keep"));
    assertEquals(0, result.exit(), result.stderr());
    assertFalse(result.stdout().contains(LIBRARY), result.stdout());
    assertFalse(Files.exists(dir.resolve("target").resolve(LIBRARY)));
  }

  @Test
  void buildsTheVendorLibraryOnceOnANonIntelCpu() throws Exception {
    assumeTrue(nonIntelX86Linux(), "only a non-Intel x86-64 Linux CPU gets the library");
    assumeTrue(onPath("cc"), "needs a C compiler");
    Result first = run(Map.of());
    assertEquals(0, first.exit(), first.stderr());
    Path library = dir.resolve("target").resolve(LIBRARY).toRealPath();
    assertTrue(first.stdout().endsWith(library.toString()), first.stdout());
    byte[] bytes = Files.readAllBytes(library);
    assertEquals("\u007fELF", new String(bytes, 0, 4, StandardCharsets.ISO_8859_1));
    // the symbol MKL looks up must be exported by name
    assertTrue(new String(bytes, StandardCharsets.ISO_8859_1).contains("mkl_serv_intel_cpu_true"));
    long built = Files.getLastModifiedTime(library).toMillis();

    Result second = run(Map.of());
    assertEquals(first.stdout(), second.stdout());
    assertEquals(built, Files.getLastModifiedTime(library).toMillis(), "built again");
    try (var left = Files.list(dir.resolve("target"))) {
      assertEquals(List.of(library.getFileName()), left.map(Path::getFileName).toList(), "temporary files left");
    }
  }

  @Test
  void withoutACompilerSaysSoAndGoesOn() throws Exception {
    assumeTrue(nonIntelX86Linux(), "only a non-Intel x86-64 Linux CPU wants the library");
    // a PATH with the tools the script uses, but no cc
    Path bin = Files.createDirectories(dir.resolve("bin"));
    for (String tool : List.of("bash", "dirname", "uname", "grep", "mkdir")) {
      Files.createSymbolicLink(bin.resolve(tool), which(tool));
    }
    Result result = run(Map.of("PATH", bin.toString()));
    assertEquals(0, result.exit(), result.stderr());
    assertFalse(result.stdout().contains(LIBRARY), result.stdout());
    assertTrue(result.stderr().contains("no C compiler"), result.stderr());
  }

  @Test
  void theLibraryTurnsMklToTheCpusOwnKernels() throws Exception {
    assumeTrue(nonIntelX86Linux(), "only a non-Intel x86-64 Linux CPU gets the library");
    assumeTrue(onPath("cc"), "needs a C compiler");
    ai.djl.engine.Engine.getEngine("PyTorch"); // makes sure libtorch is unpacked
    Path libtorch;
    try (var found = Files.walk(Utils.getEngineCacheDir("pytorch"))) {
      libtorch = found.filter(p -> p.getFileName().toString().equals("libtorch_cpu.so")).findFirst().orElse(null);
    }
    assumeTrue(libtorch != null, "libtorch_cpu.so under DJL's cache");
    Result built = run(Map.of());
    assertEquals(0, built.exit(), built.stderr());
    Path library = dir.resolve("target").resolve(LIBRARY).toRealPath();
    assertTrue(built.stdout().endsWith(library.toString()), built.stdout());
    // MKL's answer to "which kernels?", asked straight: 0 is its baseline path
    Path probe = dir.resolve("mkl_cpu_path.c");
    Files.writeString(probe, String.join("\n",
        "#include <dlfcn.h>",
        "#include <stdio.h>",
        "int main(int argc, char **argv) {",
        "  void *torch = dlopen(argv[1], RTLD_LAZY);",
        "  if (!torch) { fprintf(stderr, \"%s\\n\", dlerror()); return 1; }",
        "  int (*detect)(void) = (int (*)(void))dlsym(torch, \"mkl_serv_cpu_detect\");",
        "  if (!detect) return 1;",
        "  printf(\"%d\\n\", detect());",
        "  return 0;",
        "}", ""));
    Path binary = dir.resolve("mkl_cpu_path");
    assertEquals(0, new ProcessBuilder("cc", "-o", binary.toString(), probe.toString(), "-ldl")
        .inheritIO().start().waitFor());
    int shipped = mklCpuPath(binary, libtorch, "");
    int answered = mklCpuPath(binary, libtorch, library.toString());
    assertEquals(0, shipped, "MKL's path on this CPU as shipped");
    assertTrue(answered > shipped, "MKL's path with " + library + ": " + answered);
  }

  private static int mklCpuPath(Path binary, Path libtorch, String preload) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(binary.toString(), libtorch.toString());
    builder.environment().put("LD_PRELOAD", preload);
    builder.environment().put("LD_LIBRARY_PATH", libtorch.getParent().toString());
    builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(0, process.waitFor(), "the probe under LD_PRELOAD=" + preload);
    return Integer.parseInt(out);
  }

  @BeforeEach
  void copyTheFolder() throws IOException {
    for (String file : List.of("preload", "mkl_any_cpu.c")) {
      Files.copy(NATIVE.resolve(file), dir.resolve(file));
    }
  }

  private Result run(Map<String, String> env) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(which("bash").toString(), dir.resolve("preload").toString());
    builder.environment().remove("AHA_MKL_VENDOR_CHECK");
    builder.environment().putAll(env);
    Path err = dir.resolve("stderr.txt");
    builder.redirectError(err.toFile());
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    int exit = process.waitFor();
    return new Result(exit, out, Files.readString(err));
  }

  private static boolean nonIntelX86Linux() throws IOException {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    return System.getProperty("os.name").equals("Linux")
        && System.getProperty("os.arch").equals("amd64")
        && Files.isReadable(cpuinfo)
        && !Files.readString(cpuinfo).contains("GenuineIntel");
  }

  private static boolean onPath(String tool) {
    return whichOrNull(tool) != null;
  }

  private static Path which(String tool) {
    Path found = whichOrNull(tool);
    assertTrue(found != null, tool + " on PATH");
    return found;
  }

  private static Path whichOrNull(String tool) {
    for (String entry : System.getenv("PATH").split(":")) {
      Path candidate = Path.of(entry, tool);
      if (Files.isExecutable(candidate)) {
        return candidate.toAbsolutePath();
      }
    }
    return null;
  }
}
