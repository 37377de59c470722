package aha.runs.dashboard;

import aha.runs.store.RunDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The runs under the runs root, and the only way from a name in a URL to a run: a name is served
 * when it is exactly the name of a run folder listed there, so {@code ..}, slashes and encoded
 * variants of them never reach the file system. Views are kept per run, so their tails are shared.
 *
 * <p>Blocking (lists the root): call from a worker thread.
 */
final class RunCatalog {

  /** The shape of a run folder's name; anything else is rejected before the root is listed. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

  private final Path root;
  private final Consumer<String> log;
  private final ConcurrentMap<String, RunView> views = new ConcurrentHashMap<>();

  RunCatalog(Path root, Consumer<String> log) {
    this.root = root.toAbsolutePath().normalize();
    this.log = log;
  }

  Path root() {
    return root;
  }

  /** Whether {@code name} could name a run folder (letters, digits, '.', '_', '-'; no leading dot). */
  static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /**
   * The runs under the root with a valid name, in name order (which is start order for the lab's
   * names).
   */
  List<RunView> list() throws IOException {
    List<RunView> runs = new ArrayList<>();
    for (RunDirectory run : RunDirectory.list(root)) {
      if (!isValidName(run.name())) {
        continue; // could not be asked for by name either
      }
      runs.add(views.computeIfAbsent(run.name(), name -> new RunView(run, log)));
    }
    Set<String> present = ConcurrentHashMap.newKeySet();
    runs.forEach(view -> present.add(view.name()));
    views.keySet().retainAll(present);
    return runs;
  }

  /** The run named exactly {@code name}, if it is one of {@link #list}. */
  Optional<RunView> find(String name) throws IOException {
    if (!isValidName(name)) {
      return Optional.empty();
    }
    return list().stream().filter(view -> view.name().equals(name)).findFirst();
  }
}
