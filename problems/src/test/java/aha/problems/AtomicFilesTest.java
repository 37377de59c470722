package aha.problems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

  @TempDir Path dir;

  private List<Path> listing() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }

  @Test
  void writesAndReplacesAndCreatesParents() throws IOException {
    Path target = dir.resolve("deep/er/out.txt");
    AtomicFiles.writeString(target, "first é\n");
    assertEquals("first é\n", Files.readString(target));
    AtomicFiles.writeString(target, "second");
    assertEquals("second", Files.readString(target));
    try (Stream<Path> files = Files.list(target.getParent())) {
      assertEquals(List.of(target), files.toList());
    }
  }

  @Test
  void writesBytesAsTheyAre() throws IOException {
    Path target = dir.resolve("img/chart.png");
    byte[] bytes = {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff};
    AtomicFiles.writeBytes(target, bytes);
    org.junit.jupiter.api.Assertions.assertArrayEquals(bytes, Files.readAllBytes(target));
    AtomicFiles.writeBytes(target, new byte[] {1});
    assertEquals(1, Files.size(target));
    try (var files = Files.list(target.getParent())) {
      assertEquals(1, files.count(), "no temporary file left");
    }
  }

  @Test
  void aWriterThatThrowsMidwayLeavesTheOldFileAndNoTempFile() throws IOException {
    Path target = dir.resolve("set.jsonl");
    Files.writeString(target, "old content\n");
    IOException thrown =
        assertThrows(
            IOException.class,
            () ->
                AtomicFiles.write(
                    target,
                    out -> {
                      for (int i = 0; i < 100_000; i++) {
                        out.write("partial line " + i + "\n"); // more than any buffer holds
                      }
                      throw new IOException("disk on fire");
                    }));
    assertEquals(target.toAbsolutePath() + ": disk on fire", thrown.getMessage(), "names the file");
    assertEquals("old content\n", Files.readString(target));
    assertEquals(List.of(target), listing());
  }

  @Test
  void aRuntimeFailureAlsoCleansUp() throws IOException {
    Path target = dir.resolve("new.jsonl");
    assertThrows(
        IllegalStateException.class,
        () ->
            AtomicFiles.write(
                target,
                out -> {
                  out.write("x");
                  throw new IllegalStateException("bug");
                }));
    assertEquals(List.of(), listing());
  }

  @Test
  void unencodableTextFailsInsteadOfWritingQuestionMarks() throws IOException {
    Path target = dir.resolve("s.txt");
    assertThrows(IOException.class, () -> AtomicFiles.writeString(target, "lone \uD800 surrogate"));
    assertEquals(List.of(), listing());
  }

  @Test
  void severalFilesAreWrittenAllOrNone() throws IOException {
    Path first = dir.resolve("train.jsonl");
    Files.writeString(first, "old train");
    Path blocker = dir.resolve("blocker");
    Files.writeString(blocker, "a file where a directory should be");
    Map<Path, String> texts = new LinkedHashMap<>();
    texts.put(first, "new train");
    texts.put(blocker.resolve("test.jsonl"), "new test");
    assertThrows(IOException.class, () -> AtomicFiles.writeStrings(texts));
    assertEquals("old train", Files.readString(first), "the first file is as it was");
    assertEquals(List.of(blocker, first), listing(), "no temporary file left");

    texts.remove(blocker.resolve("test.jsonl"));
    texts.put(dir.resolve("test.jsonl"), "new test");
    AtomicFiles.writeStrings(texts);
    assertEquals("new train", Files.readString(first));
    assertEquals("new test", Files.readString(dir.resolve("test.jsonl")));
  }

  @Test
  void aFailedWriteNamesItsFileAndWhy() throws IOException {
    Path directory = Files.createDirectories(dir.resolve("out.jsonl"));
    FileSystemException e =
        assertThrows(FileSystemException.class, () -> AtomicFiles.writeString(directory, "x"));
    assertEquals(directory.toAbsolutePath().toString(), e.getFile());
    assertTrue(e.getReason().contains("is a directory"), e.getReason());
    FileSystemException encoding =
        assertThrows(FileSystemException.class, () -> AtomicFiles.writeString(dir.resolve("s.txt"), "lone \uD800 surrogate"));
    assertTrue(encoding.getFile().endsWith("s.txt"), encoding.getMessage());
  }

  @Test
  void keepsPermissionsOfTheReplacedFileAndGivesNewFilesReadableOnes() throws IOException {
    if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    Path fresh = dir.resolve("fresh.txt");
    AtomicFiles.writeString(fresh, "a");
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));

    Path shared = dir.resolve("shared.txt");
    Files.writeString(shared, "old");
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-rw-r--"));
    AtomicFiles.writeString(shared, "new");
    assertEquals("rw-rw-r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)));
    assertTrue(Files.readString(shared).equals("new"));
  }
}
