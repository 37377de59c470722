package aha.grpo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.grpo.rl.PolicyLoss;
import aha.sampler.model.Scalars;
import aha.sampler.model.Transformer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.nn.Activation;
import ai.djl.pytorch.engine.PtNDArray;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
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
 * DJL's NDArray methods that take a Java number as an arithmetic operand ({@code x.mul(0.5f)}), nor
 * a DJL method that calls one inside ({@code NDArrays.mul(x, 0.5f)}, {@code x.toDegrees()}, {@code
 * Activation.swish(x, 1f)}, DJL's losses). Those free the scalar's memory while autograd may still
 * read it (see {@link Scalars}); use {@link Scalars} instead. Read from the compiled classes, ours
 * and DJL's, so no way of writing the call escapes.
 */
class ScalarOperandsTest {

  /** The overloads that make a scalar tensor over a Java buffer and close it after the op. */
  private static final Set<String> ARITHMETIC =
      Set.of(
          "add", "sub", "mul", "div", "pow", "mod", "maximum", "minimum", "clip",
          "addi", "subi", "muli", "divi", "powi", "modi",
          "rsub", "rdiv", "rpow", "rmod", "rsubi", "rdivi", "rpowi", "rmodi");

  /** Packages checked, each found from a class of its own. */
  private static final Map<String, Class<?>> PACKAGES =
      Map.of(
          "aha/sampler/model", Transformer.class,
          "aha/grpo/train", Trainer.class,
          "aha/grpo/rl", PolicyLoss.class);

  /** DJL's methods that free a scalar operand, read once from its API and PyTorch engine jars. */
  private static final ScalarFreeing DJL = ScalarFreeing.read(NDArray.class, PtNDArray.class);

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
  void theCheckSeesEveryWayToTheOverloads() throws IOException {
    // the Offender class below calls x.mul(2f) and three DJL methods that do it inside: the reader
    // must find all four, and no call that keeps its operands in libtorch's memory
    try (InputStream in = getClass().getResourceAsStream("ScalarOperandsTest$Offender.class")) {
      List<String> found = scalarOperandCalls(in.readAllBytes());
      assertEquals(4, found.size(), found.toString());
      assertTrue(found.get(0).contains("twice") && found.get(0).contains(".mul("), found.get(0));
      assertTrue(found.get(1).contains("NDArrays.mul("), found.get(1));
      assertTrue(found.get(2).contains(".toDegrees("), found.get(2));
      assertTrue(found.get(3).contains("Activation.swish("), found.get(3));
    }
  }

  @Test
  void theOrdinaryOpsOfTheModelAreNotFlagged() {
    // what the model and losses use every step; a check that flagged these would be turned off,
    // not obeyed (a comparison's scalar is freed too, but nothing differentiates a comparison)
    assertFalse(DJL.frees("ai/djl/ndarray/NDArray", "get", "(Lai/djl/ndarray/index/NDIndex;)Lai/djl/ndarray/NDArray;"));
    assertFalse(DJL.frees("ai/djl/ndarray/NDArray", "mul", "(Lai/djl/ndarray/NDArray;)Lai/djl/ndarray/NDArray;"));
    assertFalse(DJL.frees("ai/djl/ndarray/NDArray", "softmax", "(I)Lai/djl/ndarray/NDArray;"));
    assertFalse(DJL.frees("ai/djl/ndarray/NDArray", "lt", "(Ljava/lang/Number;)Lai/djl/ndarray/NDArray;"));
  }

  /** Deliberate offences for {@link #theCheckSeesEveryWayToTheOverloads}. */
  static final class Offender {
    static NDArray twice(NDArray x) {
      return x.mul(2f);
    }

    static NDArray indirectly(NDArray x) {
      NDArray a = NDArrays.mul(x, 2f); // a static helper over x.mul(Number)
      NDArray b = x.toDegrees(); // the engine multiplies by 180 / pi with mul(Number)
      return Activation.swish(a.add(b), 1f); // NDArrayEx's default swish: x.mul(beta)
    }
  }

  /** "Class.method calls Owner.op(...)" for every call of a scalar-freeing DJL method in one class file. */
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
                if (DJL.frees(owner, name, called)) {
                  found.add(className + "." + method + " calls " + owner + "." + name + called);
                }
              }
            };
          }
        },
        ClassReader.SKIP_DEBUG);
    return found;
  }

  /**
   * Which DJL methods free a scalar operand: the Number overloads of {@link #ARITHMETIC}, every DJL
   * method that calls one, transitively, and every supertype's declaration of a method the PyTorch
   * engine overrides that way (a call through {@code NDArray} lands in {@code PtNDArray}'s). Only
   * the engine's overrides count: they are what runs behind DJL's interfaces here, while a BERT
   * block's {@code forwardInternal} says nothing about ours. It over-approximates otherwise: a method
   * that makes its scalar for index arithmetic, never differentiated, counts too.
   *
   * @param parents each class's superclass and interfaces
   * @param declared each class's methods, as name + descriptor
   * @param freeing "owner.name descriptor" of every freeing method
   */
  private record ScalarFreeing(
      Map<String, List<String>> parents, Map<String, Set<String>> declared, Set<String> freeing) {

    /** Package prefix of the engine's classes. */
    private static final String ENGINE = "ai/djl/pytorch/";

    static ScalarFreeing read(Class<?>... anchors) {
      Map<String, List<String>> parents = new HashMap<>();
      Map<String, Set<String>> declared = new HashMap<>();
      Map<String, Set<String>> calls = new HashMap<>(); // method -> methods it calls
      for (Class<?> anchor : anchors) {
        for (byte[] bytes : jarClassFiles(anchor)) {
          ClassReader reader = new ClassReader(bytes);
          String owner = reader.getClassName();
          List<String> up = new ArrayList<>(List.of(reader.getInterfaces()));
          if (reader.getSuperName() != null) {
            up.add(0, reader.getSuperName());
          }
          parents.put(owner, up);
          Set<String> methods = declared.computeIfAbsent(owner, o -> new HashSet<>());
          reader.accept(
              new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(
                    int access, String name, String descriptor, String signature, String[] exceptions) {
                  methods.add(name + descriptor);
                  Set<String> out = calls.computeIfAbsent(owner + "." + name + descriptor, m -> new HashSet<>());
                  return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(
                        int opcode, String calledOwner, String calledName, String called, boolean isInterface) {
                      out.add(calledOwner + "." + calledName + called);
                    }
                  };
                }
              },
              ClassReader.SKIP_DEBUG);
        }
      }
      ScalarFreeing djl = new ScalarFreeing(parents, declared, new HashSet<>());
      for (boolean changed = true; changed; ) {
        changed = false;
        for (Map.Entry<String, Set<String>> method : calls.entrySet()) {
          if (!djl.freeing.contains(method.getKey()) && method.getValue().stream().anyMatch(djl::frees)) {
            djl.freeing.add(method.getKey());
            changed = true;
          }
        }
        for (String method : List.copyOf(djl.freeing)) {
          String owner = method.substring(0, method.indexOf('.'));
          if (!owner.startsWith(ENGINE)) {
            continue;
          }
          String nameAndDescriptor = method.substring(owner.length() + 1);
          for (String ancestor : djl.ancestors(owner)) {
            if (declared.getOrDefault(ancestor, Set.of()).contains(nameAndDescriptor)) {
              changed |= djl.freeing.add(ancestor + "." + nameAndDescriptor);
            }
          }
        }
      }
      return djl;
    }

    /** Whether a call of {@code owner.name descriptor} reaches a method that frees a scalar. */
    boolean frees(String owner, String name, String descriptor) {
      return frees(owner + "." + name + descriptor);
    }

    private boolean frees(String call) {
      int dot = call.indexOf('.');
      String owner = call.substring(0, dot);
      String nameAndDescriptor = call.substring(dot + 1);
      String name = nameAndDescriptor.substring(0, nameAndDescriptor.indexOf('('));
      if (owner.startsWith("ai/djl/")
          && ARITHMETIC.contains(name)
          && nameAndDescriptor.startsWith(name + "(Ljava/lang/Number;")) {
        return true;
      }
      // the method that runs is the nearest declaration, in the owner or an ancestor
      Deque<String> queue = new ArrayDeque<>(List.of(owner));
      Set<String> seen = new HashSet<>();
      while (!queue.isEmpty()) {
        String type = queue.poll();
        if (!seen.add(type)) {
          continue;
        }
        if (declared.getOrDefault(type, Set.of()).contains(nameAndDescriptor)) {
          return freeing.contains(type + "." + nameAndDescriptor);
        }
        queue.addAll(parents.getOrDefault(type, List.of()));
      }
      return false;
    }

    private Set<String> ancestors(String type) {
      Set<String> out = new HashSet<>();
      Deque<String> queue = new ArrayDeque<>(parents.getOrDefault(type, List.of()));
      while (!queue.isEmpty()) {
        String next = queue.poll();
        if (out.add(next)) {
          queue.addAll(parents.getOrDefault(next, List.of()));
        }
      }
      return out;
    }
  }

  /** The bytes of every class file of {@code packagePath}, from the directory or jar holding {@code anchor}. */
  private static List<byte[]> classFiles(String packagePath, Class<?> anchor) throws IOException {
    Path location = location(anchor);
    if (Files.isDirectory(location)) {
      return read(location.resolve(packagePath), false);
    }
    try (FileSystem jar = FileSystems.newFileSystem(location)) {
      return read(jar.getPath(packagePath), false);
    }
  }

  /** The bytes of every class file in the jar holding {@code anchor}. */
  private static List<byte[]> jarClassFiles(Class<?> anchor) {
    try (FileSystem jar = FileSystems.newFileSystem(location(anchor))) {
      return read(jar.getPath("/"), true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path location(Class<?> anchor) {
    try {
      return Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The class files directly in {@code dir}, or in all of it when {@code deep}. */
  private static List<byte[]> read(Path dir, boolean deep) throws IOException {
    try (Stream<Path> files = deep ? Files.walk(dir) : Files.list(dir)) {
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
