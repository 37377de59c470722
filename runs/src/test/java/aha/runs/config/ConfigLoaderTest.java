package aha.runs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.grpo.rl.GrpoConfig;
import aha.grpo.rl.LossType;
import aha.grpo.rl.ScaleRewards;
import aha.grpo.train.BaseConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"default", "smoke"})
  void presetAloneIsThePresetsConfig(String preset) {
    assertEquals(RunConfig.preset(preset), ConfigLoader.load(preset, null, List.of()));
  }

  @Test
  void aYamlAliasBombIsRefusedAtOnce(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    StringBuilder bomb = new StringBuilder("grpo:\n  markers: &a0 [\"lol\", \"lol\", \"lol\"]\n");
    for (int level = 1; level < 10; level++) {
      bomb.append("run:\n  name: &a").append(level).append(" [")
          .append(String.join(", ", java.util.Collections.nCopies(9, "*a" + (level - 1)))).append("]\n");
    }
    Path file = tmp.resolve("bomb.yaml");
    java.nio.file.Files.writeString(file, bomb);
    long start = System.nanoTime();
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load("default", file, List.of()));
    assertTrue(e.getMessage().contains("line 4: YAML aliases (*a0) are not supported"), e.getMessage());
    assertTrue(System.nanoTime() - start < 5_000_000_000L, "took too long to refuse");
    ConfigException set = assertThrows(ConfigException.class, () -> ConfigLoader.load("default", null, List.of("run.name=*a")));
    assertTrue(set.getMessage().contains("aliases"), set.getMessage());
    java.nio.file.Files.writeString(file, "run:\n  name: " + "x".repeat(aha.problems.YamlLimits.MAX_CHARS) + "\n");
    ConfigException big = assertThrows(ConfigException.class, () -> ConfigLoader.load("default", file, List.of()));
    assertTrue(big.getMessage().contains("longer than"), big.getMessage());
  }

  @Test
  void defaultPresetIsNanoAndTheDefaultGrpoRecipe() {
    RunConfig config = ConfigLoader.load("default", null, List.of());
    assertEquals("default", config.curriculum());
    assertEquals(BaseConfig.preset("nano").withSeed(1), config.base());
    assertEquals(GrpoConfig.defaults(), config.grpo());
    assertEquals(RunSettings.defaults(), config.run());
    assertEquals(new RunSettings("default", "out/runs", 10, 3, true, "127.0.0.1", 8088, "auto"), config.run());
  }

  @Test
  void smokePresetIsTiny() {
    RunConfig smoke = RunConfig.smoke();
    assertEquals(BaseConfig.preset("tiny").withSeed(1), smoke.base());
    GrpoConfig grpo = smoke.grpo();
    // a handful of completions per step, few steps, short completions: seconds on two cores
    assertTrue(grpo.steps() <= 5 && grpo.problemsPerStep() * grpo.groupSize() <= 8, grpo.toString());
    assertTrue(grpo.maxNewTokens() <= 64 && grpo.evalProblems() <= 8, grpo.toString());
    assertEquals(false, smoke.run().dashboard());
  }

  @Test
  void changingTheBasePresetMovesEveryBaseDefault() {
    RunConfig config = ConfigLoader.load("default", null, List.of("base.preset=tiny"));
    assertEquals(BaseConfig.preset("tiny").withSeed(1), config.base());
    assertEquals(GrpoConfig.defaults(), config.grpo()); // other sections keep the preset's values
  }

  @Test
  void fileValuesApplyOnTopOfTheNewBasePreset() throws IOException {
    Path file = write("base:\n  preset: tiny\n  pretrain:\n    steps: 7\n");
    RunConfig config = ConfigLoader.load("default", file, List.of());
    BaseConfig tiny = BaseConfig.preset("tiny").withSeed(1);
    assertEquals(7, config.base().pretrain().steps());
    assertEquals(tiny.pretrain().batchSize(), config.base().pretrain().batchSize());
    assertEquals(tiny.model(), config.base().model());
    assertEquals(tiny.sft(), config.base().sft());
  }

  @Test
  void theBaseSeedSeedsEveryBaseStage() {
    BaseConfig base = ConfigLoader.load("default", null, List.of("base.seed=5")).base();
    assertEquals(BaseConfig.preset("nano").withSeed(5), base);
    assertEquals(5, base.corpus().seed());
    assertEquals(6, base.sft().seed());
  }

  @Test
  void setOverridesFileOverridesPreset() throws IOException {
    Path file = write("grpo:\n  steps: 7\n  group_size: 3\nrun:\n  name: from-file\n");
    RunConfig config =
        ConfigLoader.load("smoke", file, List.of("grpo.steps=9", "run.port=9000", "run.port=9001"));
    assertEquals(9, config.grpo().steps()); // --set beats the file
    assertEquals(3, config.grpo().groupSize()); // the file beats the preset
    assertEquals(RunConfig.smoke().grpo().problemsPerStep(), config.grpo().problemsPerStep());
    assertEquals("from-file", config.run().name());
    assertEquals(9001, config.run().port()); // the last --set wins
  }

  @Test
  void setValuesAreYaml() {
    RunConfig config =
        ConfigLoader.load(
            "default",
            null,
            List.of("grpo.markers=[wait, hmm]", "grpo.lr=1e-3", "grpo={beta: 0.05, top_k: 5}", "run.name=2024"));
    assertEquals(List.of("wait", "hmm"), config.grpo().markers());
    assertEquals(1e-3, config.grpo().lr());
    assertEquals(0.05, config.grpo().beta());
    assertEquals(5, config.grpo().topK());
    assertEquals("2024", config.run().name()); // a number where text belongs is that text
    assertEquals(GrpoConfig.defaults().steps(), config.grpo().steps()); // a section merges
  }

  @Test
  void enumsUseTheirWireNames() throws IOException {
    RunConfig config =
        ConfigLoader.load("default", null, List.of("grpo.loss_type=dr_grpo", "grpo.scale_rewards=none"));
    assertEquals(LossType.DR_GRPO, config.grpo().lossType());
    assertEquals(ScaleRewards.NONE, config.grpo().scaleRewards());
    String yaml = ConfigLoader.toYaml(config);
    assertTrue(yaml.contains("\n  loss_type: dr_grpo\n"), yaml);
    assertTrue(yaml.contains("\n  scale_rewards: none\n"), yaml);
    ObjectMapper json = new ObjectMapper();
    assertEquals("\"dapo\"", json.writeValueAsString(LossType.DAPO));
    assertEquals(ScaleRewards.BATCH, json.readValue("\"batch\"", ScaleRewards.class));
  }

  @ParameterizedTest
  @ValueSource(strings = {"default", "smoke"})
  void toYamlHasEveryKeyAndReadsBackEqual(String preset) throws IOException {
    RunConfig config = RunConfig.preset(preset);
    String yaml = ConfigLoader.toYaml(config);
    for (String key : ConfigLoader.keys()) {
      String leaf = key.substring(key.lastIndexOf('.') + 1);
      assertTrue(yaml.contains(leaf + ":"), key);
    }
    assertEquals(config, ConfigLoader.read(write(yaml)));
  }

  @Test
  void roundTripKeepsUnusualValues() throws IOException {
    // text that YAML would read as a number, a boolean or a comment unless it is quoted
    List<String> sets =
        List.of(
            "run.name=1e3",
            "run.root='yes'",
            "run.host='::1'",
            "grpo.markers=['wait, ', 'no', '# hmm', 'x: y', '1.5']",
            "grpo.loss_type=dapo",
            "grpo.lr=3.0e-7",
            "base.preset=micro",
            "base.seed=42",
            "base.corpus.slip_share=0.5",
            "grpo.seed=-3");
    RunConfig config = ConfigLoader.load("smoke", null, sets);
    assertEquals("1e3", config.run().name());
    assertEquals("yes", config.run().root());
    assertEquals(List.of("wait, ", "no", "# hmm", "x: y", "1.5"), config.grpo().markers());
    assertEquals(config, ConfigLoader.read(write(ConfigLoader.toYaml(config))));
    // a stored config reads back the same whatever preset it is loaded over
    assertEquals(config, ConfigLoader.load("default", write(ConfigLoader.toYaml(config)), List.of()));
    assertNotEquals(RunConfig.smoke(), config);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // --set                              | key                    | message
        "grpo.group_size=1                    | grpo.group_size        | grpo.group_size: must be >= 2, got 1",
        "grpo.stepz=3                         | grpo.stepz             | --set grpo.stepz: unknown key; did you mean grpo.steps?",
        "grpo.seq_len=64                      | grpo.seq_len           | did you mean base.pretrain.seq_len?",
        "base.pretrain.lrr=0.1                | base.pretrain.lrr      | did you mean base.pretrain.lr?",
        "grpo.zzzzzzzz=1                      | grpo.zzzzzzzz          | the keys of grpo are steps, problems_per_step,",
        "model.hidden_size=8                  | model                  | --set model: unknown key; did you mean base.model?",
        "zzzzzzzzzz=1                         | zzzzzzzzzz             | the sections are curriculum, base, grpo, run",
        "grpo.steps=abc                       | grpo.steps             | --set grpo.steps: expected an integer, got \"abc\"",
        "grpo.steps=1.5                       | grpo.steps             | grpo.steps: expected an integer, got 1.5",
        "grpo.steps=3000000000                | grpo.steps             | grpo.steps: expected an integer, got 3000000000",
        "grpo.steps=                          | grpo.steps             | grpo.steps: no value; expected an integer",
        "grpo.lr=fast                         | grpo.lr                | grpo.lr: expected a number, got \"fast\"",
        "grpo.dynamic_sampling=5              | grpo.dynamic_sampling  | expected true or false, got 5",
        "grpo.markers=wait                    | grpo.markers           | grpo.markers: expected a list",
        "grpo.steps.x=1                       | grpo.steps             | grpo.steps: is a single value, not a section",
        "grpo=5                               | grpo                   | grpo: expected a section with the keys steps,",
        "grpo.loss_type=ppo                   | grpo.loss_type         | grpo.loss_type: unknown loss_type 'ppo' (expected one of grpo, bnpo, dr_grpo, dapo)",
        "grpo.top_p=1.5                       | grpo.top_p             | grpo.top_p: must be in (0, 1], got 1.5",
        "grpo.max_new_tokens=512              | grpo.max_new_tokens    | grpo.max_new_tokens: must be less than base.model.max_positions (512)",
        "base.model.hidden_size=0             | base.model.hidden_size | base.model.hidden_size: hiddenSize must be positive",
        "base.pretrain.steps=0                | base.pretrain          | base.pretrain: need steps >= 1",
        "base.preset=huge                     | base.preset            | base.preset: unknown model preset \"huge\"",
        "run.port=70000                       | run.port               | run.port: must be 0..65535",
        "run.device=tpu                       | run.device             | run.device: expected auto, cpu, gpu or gpu:N, got 'tpu'",
        "run.name=a/b                         | run.name               | run.name: use letters, digits",
        "curriculum=no-such-curriculum.yaml   | curriculum             | curriculum: no such file no-such-curriculum.yaml",
      })
  void badSetNamesTheKey(String set, String key, String message) {
    ConfigException e =
        assertThrows(ConfigException.class, () -> ConfigLoader.load("default", null, List.of(set)));
    assertEquals(key, e.key(), e.getMessage());
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void setWithoutEqualsSaysSo() {
    ConfigException e =
        assertThrows(ConfigException.class, () -> ConfigLoader.load("default", null, List.of("grpo.steps")));
    assertTrue(e.getMessage().contains("--set grpo.steps: expected key=value"), e.getMessage());
    assertTrue(e.getMessage().contains("no '='"), e.getMessage());
  }

  @Test
  void unknownKeyInTheFileNamesFileAndKey() throws IOException {
    Path file = write("grpo:\n  group_sise: 4\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load("default", file, List.of()));
    assertEquals(file + ": grpo.group_sise: unknown key; did you mean grpo.group_size?", e.getMessage());
  }

  @Test
  void badValueInTheFileNamesTheDottedKey() throws IOException {
    Path file = write("base:\n  corpus:\n    slip_share: lots\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load("default", file, List.of()));
    assertEquals("base.corpus.slip_share", e.key());
    assertTrue(e.getMessage().contains("base.corpus.slip_share: expected a number, got \"lots\""), e.getMessage());
  }

  @Test
  void yamlSyntaxErrorGivesFileLineAndColumn() throws IOException {
    Path file = write("grpo:\n  steps: 3\n  markers: [wait, hmm\nrun:\n  port: 1\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load("default", file, List.of()));
    assertTrue(e.getMessage().startsWith(file + ":4:"), e.getMessage());
    assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
  }

  @Test
  void duplicateKeyIsASyntaxError() throws IOException {
    Path file = write("grpo:\n  steps: 3\n  steps: 4\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load("default", file, List.of()));
    assertTrue(e.getMessage().startsWith(file + ":3:"), e.getMessage());
    assertTrue(e.getMessage().contains("steps"), e.getMessage());
  }

  @Test
  void emptyFileChangesNothingAndAListIsRefused() throws IOException {
    assertEquals(RunConfig.smoke(), ConfigLoader.load("smoke", write("# nothing yet\n"), List.of()));
    ConfigException e =
        assertThrows(ConfigException.class, () -> ConfigLoader.load("smoke", write("- grpo\n"), List.of()));
    assertTrue(e.getMessage().contains("expected a mapping of the sections"), e.getMessage());
  }

  @Test
  void missingFileAndUnknownPresetAreErrors() {
    Path missing = dir.resolve("nope.yaml");
    ConfigException noFile = assertThrows(ConfigException.class, () -> ConfigLoader.load("default", missing, List.of()));
    assertEquals(missing + ": no such config file", noFile.getMessage());
    ConfigException noPreset = assertThrows(ConfigException.class, () -> ConfigLoader.load("huge", null, List.of()));
    assertEquals("--preset: unknown preset 'huge'; expected one of default, smoke", noPreset.getMessage());
  }

  @Test
  void curriculumFileIsReadAtLoad() throws IOException {
    Path curriculum = dir.resolve("mix.yaml");
    Files.writeString(curriculum, "seed: 3\nfamilies:\n  - {family: addition, weight: 1, difficulty: 1}\n");
    RunConfig config = ConfigLoader.load("default", null, List.of("curriculum=" + curriculum));
    assertEquals(curriculum.toString(), config.curriculum());
    assertEquals(3, config.curriculumSpec().seed());

    Files.writeString(curriculum, "seed: 3\n");
    ConfigException e =
        assertThrows(ConfigException.class, () -> ConfigLoader.load("default", null, List.of("curriculum=" + curriculum)));
    assertEquals("curriculum", e.key());
    assertTrue(e.getMessage().contains("families"), e.getMessage());
  }

  @Test
  void keysListsSectionsAndLeavesInFileOrder() {
    List<String> keys = ConfigLoader.keys();
    assertEquals("curriculum", keys.get(0));
    assertTrue(keys.containsAll(List.of("base", "base.model.max_positions", "base.pretrain.seq_len",
        "grpo.group_size", "grpo.markers", "run.checkpoint_every", "run.device")), keys.toString());
    assertTrue(keys.indexOf("base.preset") < keys.indexOf("grpo"));
  }

  private Path write(String yaml) throws IOException {
    Path file = Files.createTempFile(dir, "config", ".yaml");
    Files.writeString(file, yaml);
    return file;
  }
}
