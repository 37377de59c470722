package aha.runs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command's --help: formats cleanly and fits the help width without a second wrap. */
class HelpTextTest {

  private static void collect(CommandLine command, List<CommandLine> all) {
    all.add(command);
    command.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, all));
  }

  @Test
  void everyCommandsHelpFormatsWithoutWarningsAndFitsItsWidth() {
    List<CommandLine> commands = new ArrayList<>();
    collect(AhaCli.commandLine(), commands);
    assertTrue(commands.size() > 15, "found only " + commands.size() + " commands");
    PrintStream originalErr = System.err;
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    List<String> tooLong = new ArrayList<>();
    try {
      // picocli reports a description it cannot format (a lone '%') on stderr, then prints it raw
      System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
      for (CommandLine command : commands) {
        String name = command.getCommandSpec().qualifiedName();
        for (String line : command.getUsageMessage(CommandLine.Help.Ansi.OFF).split("\n")) {
          if (line.length() > AhaCli.HELP_WIDTH) {
            tooLong.add(name + ": " + line);
          }
        }
      }
    } finally {
      System.setErr(originalErr);
    }
    assertEquals("", warnings.toString(StandardCharsets.UTF_8));
    assertEquals(List.of(), tooLong);
  }

  /** The line a command's parent lists it by is a whole sentence, not a description cut at its first line. */
  @Test
  void everySubcommandIsListedByAWholeSentence() {
    List<CommandLine> commands = new ArrayList<>();
    collect(AhaCli.commandLine(), commands);
    List<String> cut = new ArrayList<>();
    for (CommandLine command : commands) {
      CommandLine.Model.CommandSpec spec = command.getCommandSpec();
      if (spec.parent() == null || spec.name().equals("help")) {
        continue;
      }
      String[] header = spec.usageMessage().header();
      String[] description = spec.usageMessage().description();
      String listed = header.length > 0 ? header[0] : description.length > 0 ? description[0] : "";
      if (!listed.strip().endsWith(".")) {
        cut.add(spec.qualifiedName() + ": " + listed);
      }
    }
    assertEquals(List.of(), cut);
  }
}
