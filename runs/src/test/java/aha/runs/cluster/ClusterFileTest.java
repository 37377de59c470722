package aha.runs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.runs.cli.AhaCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ClusterFileTest {

  @TempDir Path dir;

  @Test
  void aFileWithNameAndPasswordGetsLoopbackAndTheDefaults() throws IOException {
    ClusterFile file = ClusterFile.read(write("name: lab\npassword: correct-horse\n"));
    assertEquals(new ClusterSettings("lab", "correct-horse", "127.0.0.1", 5701, 0, List.of()), file.settings());
    assertEquals(Duration.ofSeconds(60), file.itemTimeout());
    assertEquals(0, file.weightsPort());

    ClusterFile full =
        ClusterFile.read(write("name: lab\npassword: correct-horse\nhost: 10.0.0.1\nport: 5702\nbus_port: 6000\n"
            + "members: [10.0.0.2:5701, 10.0.0.3:5701]\nitem_timeout_s: 5\nweights_port: 5801\n"));
    assertEquals(
        new ClusterSettings("lab", "correct-horse", "10.0.0.1", 5702, 6000, List.of("10.0.0.2:5701", "10.0.0.3:5701")),
        full.settings());
    assertEquals(Duration.ofSeconds(5), full.itemTimeout());
    assertEquals(5801, full.weightsPort());
  }

  @Test
  void aWrongValueOrKeyIsNamedWithItsFile() throws IOException {
    Path typo = write("name: lab\npassword: correct-horse\nmembers: [10.0.0.2:5701]\nmembrs: []\n");
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> ClusterFile.read(typo));
    assertTrue(unknown.getMessage().startsWith(typo + ": membrs: unknown key"), unknown.getMessage());

    Path shortPassword = write("name: lab\npassword: short\n");
    IllegalArgumentException weak = assertThrows(IllegalArgumentException.class, () -> ClusterFile.read(shortPassword));
    assertEquals(shortPassword + ": password: must be at least 8 characters", weak.getMessage());

    Path badPort = write("name: lab\npassword: correct-horse\nport: many\n");
    IllegalArgumentException port = assertThrows(IllegalArgumentException.class, () -> ClusterFile.read(badPort));
    assertTrue(port.getMessage().startsWith(badPort + ": port: expected a whole number"), port.getMessage());

    Path member = write("name: lab\npassword: correct-horse\nmembers: [10.0.0.2]\n");
    IllegalArgumentException noPort = assertThrows(IllegalArgumentException.class, () -> ClusterFile.read(member));
    assertTrue(noPort.getMessage().startsWith(member + ": members: each is host:port"), noPort.getMessage());
  }

  @Test
  void samplerServeWithABadClusterFileExitsTwoNamingIt() throws IOException {
    Path bad = write("name: lab\npassword: short\n");
    StringWriter err = new StringWriter();
    CommandLine cli = AhaCli.commandLine();
    cli.setErr(new PrintWriter(err));
    assertEquals(2, cli.execute("sampler", "serve", "--cluster", bad.toString()));
    assertEquals("aha: error: " + bad + ": password: must be at least 8 characters", err.toString().trim());
  }

  private Path write(String text) throws IOException {
    Path file = Files.createTempFile(dir, "cluster", ".yaml");
    return Files.writeString(file, text);
  }
}
