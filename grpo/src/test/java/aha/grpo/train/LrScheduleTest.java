package aha.grpo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LrScheduleTest {

  @Test
  void warmsUpLinearlyThenDecaysAlongACosine() {
    LrSchedule schedule = new LrSchedule(1e-3, 10, 111, 0.1);
    assertEquals(1e-4, schedule.at(0), 1e-12); // 1/10 of the way up
    assertEquals(5e-4, schedule.at(4), 1e-12);
    assertEquals(1e-3, schedule.at(9), 1e-12); // the top at the end of warmup
    assertEquals(1e-3, schedule.at(10), 1e-12); // decay starts from the peak
    assertEquals(0.55e-3, schedule.at(60), 1e-12); // halfway down: (1 + 0.1) / 2
    assertEquals(1e-3 * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * 0.25))), schedule.at(35), 1e-12);
    assertEquals(1e-4, schedule.at(110), 1e-12); // the last step at the floor
  }

  @Test
  void noWarmupStartsAtThePeak() {
    LrSchedule schedule = new LrSchedule(2.0, 0, 5, 0);
    assertEquals(2.0, schedule.at(0), 1e-12);
    assertEquals(1.0, schedule.at(2), 1e-12);
    assertEquals(0.0, schedule.at(4), 1e-12);
  }

  @Test
  void rejectsWarmupLongerThanTheRun() {
    assertThrows(IllegalArgumentException.class, () -> new LrSchedule(1e-3, 20, 10, 0.1));
    assertThrows(IllegalArgumentException.class, () -> new LrSchedule(0, 0, 10, 0.1));
  }
}
