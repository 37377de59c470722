package aha.grpo.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenWindowsTest {

  @Test
  void windowsAreConsecutiveTokensWithTargetsOneAhead() {
    int[] stream = new int[100];
    for (int i = 0; i < stream.length; i++) {
      stream[i] = i;
    }
    Batch batch = new TokenWindows(stream, 3, 5, 1).get();
    for (int r = 0; r < 3; r++) {
      long first = batch.inputs()[r * 5];
      for (int i = 0; i < 5; i++) {
        assertEquals(first + i, batch.inputs()[r * 5 + i]);
        assertEquals(first + i + 1, batch.targets()[r * 5 + i]);
      }
    }
    assertEquals(15, batch.lossTokens());
    // the same seed gives the same batches
    assertArrayEquals(batch.inputs(), new TokenWindows(stream, 3, 5, 1).get().inputs());
  }

  @Test
  void heldOutWindowsTileTheStream() {
    int[] stream = new int[23];
    for (int i = 0; i < stream.length; i++) {
      stream[i] = i;
    }
    List<Batch> batches = TokenWindows.sequential(stream, 2, 5, 10);
    assertEquals(2, batches.size()); // 2 x 10 tokens fit in 22 inputs + 1 target
    assertEquals(10, batches.get(1).inputs()[0]);
  }
}
