package aha.grpo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.grpo.rl.PolicyLoss;
import aha.sampler.model.Scalars;
import aha.sampler.model.Transformer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A build check: no class of the model, the losses, the trainers or the optimizer calls one of
 * DJL's NDArray methods that take a Java number as an arithmetic operand ({@code x.mul(0.5f)}).
 * Those free the scalar's memory while autograd may still read it (see {@link Scalars}); use
 * {@link Scalars} instead. Read from the compiled classes, so no way of writing the call escapes.
 */
class ScalarOperandsTest {

  /** The overloads that make a scalar tensor over a Java buffer and close it after the op. */
  private static final Set<String> ARITHMETIC =
      Set.of(
          "add", "sub", "mul", "div", "pow", "mod", "maximum", "minimum", "clip",
          "addi", "subi", "muli", "divi", "powi", "modi",
          "rsub", "rdiv", "rpow", "rmod", "rsubi", "rdivi", "rpowi", "rmodi");

  private static final Set<String> NDARRAY_OWNERS =
      Set.of("ai/djl/ndarray/NDArray", "ai/djl/pytorch/engine/PtNDArray");

  /** Packages checked, each found from a class of its own. */
  private static final Map<String, Class<?>> PACKAGES =
      Map.of(
          "aha/sampler/model", Transformer.class,
          "aha/grpo/train", Trainer.class,
          "aha/grpo/rl", PolicyLoss.class);

  @Test
  void noScalarOperandInModelLossTrainerOrOptimizerCode() throws IOException {
    List<String> offences = new ArrayList<>();
    int classes = 0;
    for (Map.Entry<String, Class<?>> entry : PACKAGES.entrySet()) {
      for (byte[] bytes : classFiles(entry.getKey(), entry.getValue())) {
        classes++;
        offences.addAll(scalarOperandCalls(bytes));
      }
    }
    assertTrue(classes >= 20, "found only " + classes + " classes to check");
    assertEquals(
        List.of(),
        offences,
        "NDArray methods with a Number operand free the scalar while autograd may still read it; use aha.sampler.model.Scalars");
  }

  @Test
  void theCheckSeesACall() throws IOException {
    // this test class itself calls x.mul(2f) below: the reader must find it
    try (InputStream in = getClass().getResourceAsStream("ScalarOperandsTest$Offender.class")) {
      List<String> found = scalarOperandCalls(in.readAllBytes());
      assertEquals(1, found.size(), found.toString());
      assertTrue(found.get(0).contains("twice") && found.get(0).contains("mul"), found.get(0));
    }
  }

  /** A deliberate offence for {@link #theCheckSeesACall}. */
  static final class Offender {
    static ai.djl.ndarray.NDArray twice(ai.djl.ndarray.NDArray x) {
      return x.mul(2f);
    }
  }

  /** "Class.method calls NDArray.op(Number)" for every such call in one class file. */
  static List<String> scalarOperandCalls(byte[] classFile) {
    List<String> found = new ArrayList<>();
    ClassReader reader = new ClassReader(classFile);
    String className = reader.getClassName();
    reader.accept(
        new ClassVisitor(Opcodes.ASM9) {
          @Override
          public MethodVisitor visitMethod(
              int access, String method, String descriptor, String signature, String[] exceptions) {
            return new MethodVisitor(Opcodes.ASM9) {
              @Override
              public void visitMethodInsn(
                  int opcode, String owner, String name, String called, boolean isInterface) {
                if (NDARRAY_OWNERS.contains(owner)
                    && ARITHMETIC.contains(name)
                    && called.startsWith("(Ljava/lang/Number;")) {
                  found.add(className + "." + method + " calls " + name + called);
                }
              }
            };
          }
        },
        ClassReader.SKIP_DEBUG);
    return found;
  }

  /** The bytes of every class file of {@code packagePath}, from the directory or jar holding {@code anchor}. */
  private static List<byte[]> classFiles(String packagePath, Class<?> anchor) throws IOException {
    Path location;
    try {
      location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    if (Files.isDirectory(location)) {
      return read(location.resolve(packagePath));
    }
    try (FileSystem jar = FileSystems.newFileSystem(location)) {
      return read(jar.getPath(packagePath));
    }
  }

  private static List<byte[]> read(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.toString().endsWith(".class"))
          .map(
              p -> {
                try {
                  return Files.readAllBytes(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .toList();
    }
  }
}
