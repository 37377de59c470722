package aha.runs.cli;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A decode path named wrongly in the JVM's options stops every command before it starts. */
class StartupCheckTest {

  private static final String PROPERTY = "aha.decode";
  private String before;

  @BeforeEach
  void remember() {
    before = System.getProperty(PROPERTY);
  }

  @AfterEach
  void restore() {
    if (before == null) {
      System.clearProperty(PROPERTY);
    } else {
      System.setProperty(PROPERTY, before);
    }
  }

  @Test
  void theDefaultAndBothPathsPass() {
    System.clearProperty(PROPERTY);
    assertNull(AhaCli.startupProblem());
    System.setProperty(PROPERTY, "eager");
    assertNull(AhaCli.startupProblem());
    System.setProperty(PROPERTY, "scripted");
    assertNull(AhaCli.startupProblem());
  }

  @Test
  void anUnknownPathIsNamedWithTheProperty() {
    System.setProperty(PROPERTY, "fast");
    String problem = AhaCli.startupProblem();
    assertTrue(
        problem != null && problem.contains("-Daha.decode") && problem.contains("fast"),
        String.valueOf(problem));
  }

  @Test
  void theVersionNamesTheDecodePath() throws Exception {
    System.clearProperty(PROPERTY);
    String[] lines = new AhaCli.Version().getVersion();
    assertTrue(Arrays.asList(lines).contains("decode scripted step"), Arrays.toString(lines));
    System.setProperty(PROPERTY, "eager");
    lines = new AhaCli.Version().getVersion();
    assertTrue(Arrays.asList(lines).contains("decode eager step"), Arrays.toString(lines));
  }
}
