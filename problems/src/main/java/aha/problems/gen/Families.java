package aha.problems.gen;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The registry of built-in problem families, by name. */
public final class Families {
  private static final Map<String, ProblemFamily> BY_NAME = new LinkedHashMap<>();

  static {
    for (ProblemFamily family :
        List.of(
            new AdditionFamily(),
            new MultiplicationFamily(),
            new ArithmeticFamily(),
            new LinearFamily(),
            new FractionsFamily(),
            new WordFamily(),
            new CountdownFamily(),
            new GcdFamily())) {
      BY_NAME.put(family.name(), family);
    }
  }

  private Families() {}

  /**
   * The family called {@code name}.
   *
   * @throws IllegalArgumentException naming the known families when there is none by that name
   */
  public static ProblemFamily get(String name) {
    ProblemFamily family = BY_NAME.get(name);
    if (family == null) {
      throw new IllegalArgumentException(
          "unknown problem family '" + name + "' (known: " + String.join(", ", names()) + ")");
    }
    return family;
  }

  /** Whether a family is called {@code name}. */
  public static boolean contains(String name) {
    return BY_NAME.containsKey(name);
  }

  /** All families, in a fixed order. */
  public static List<ProblemFamily> all() {
    return List.copyOf(BY_NAME.values());
  }

  /** All family names, in the order of {@link #all()}. */
  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }
}
