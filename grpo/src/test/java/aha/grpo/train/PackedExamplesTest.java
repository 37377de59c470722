package aha.grpo.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class PackedExamplesTest {

  private static PackedExamples.Example example(int first, int length, boolean maskedTail) {
    int[] ids = new int[length];
    boolean[] mask = new boolean[length];
    for (int i = 0; i < length; i++) {
      ids[i] = first + i;
      mask[i] = maskedTail && i >= length / 2;
    }
    return new PackedExamples.Example(ids, mask);
  }

  @Test
  void packsWholeExamplesAndShiftsTargets() {
    // rows of T + 1 = 8 tokens: 3 + 4 fit together, 6 goes to the next row
    List<PackedExamples.Example> examples =
        List.of(example(10, 3, true), example(20, 4, true), example(30, 6, true));
    List<Batch> batches = PackedExamples.all(examples, 2, 7, 0);
    assertEquals(1, batches.size());
    Batch batch = batches.get(0);
    assertArrayEquals(new long[] {10, 11, 12, 20, 21, 22, 23, 30, 31, 32, 33, 34, 35, 0}, batch.inputs());
    assertArrayEquals(new long[] {11, 12, 20, 21, 22, 23, 0, 31, 32, 33, 34, 35, 0, 0}, batch.targets());
    // a target counts when the token it predicts is masked in (each example's second half):
    // 11 and 12 yes, 20 and 21 no, 22 and 23 yes, padding no; 31 and 32 no, 33 to 35 yes
    assertArrayEquals(new float[] {1, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0}, batch.mask());
  }

  @Test
  void trainingBatchesCycleThroughEveryExampleEachEpoch() {
    List<PackedExamples.Example> examples =
        List.of(example(10, 4, true), example(20, 4, true), example(30, 4, true), example(40, 4, true));
    PackedExamples packer = new PackedExamples(examples, 1, 3, 0, 5); // one example per row
    java.util.Set<Long> firsts = new java.util.HashSet<>();
    for (int i = 0; i < 4; i++) {
      firsts.add(packer.get().inputs()[0]);
    }
    assertEquals(java.util.Set.of(10L, 20L, 30L, 40L), firsts);
  }

  @Test
  void rejectsAnExampleLongerThanARow() {
    assertThrows(IllegalArgumentException.class,
        () -> new PackedExamples(List.of(example(1, 9, true)), 1, 7, 0, 1));
    assertEquals(0, PackedExamples.fitting(List.of(example(1, 9, true)), 7).size());
  }
}
