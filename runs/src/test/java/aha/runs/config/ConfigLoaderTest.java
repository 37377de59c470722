package aha.runs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.grpo.corpus.CorpusConfig;
import aha.grpo.corpus.ToolTraces;
import aha.grpo.rl.GrpoConfig;
import aha.grpo.rl.LossType;
import aha.grpo.rl.PolicyLossConfig;
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
  @ValueSource(strings = {"default", "tools", "no-tools", "smoke"})
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
    assertTrue(big.getMessage().length() < 500, "the error does not repeat the value");
    java.nio.file.Files.writeString(file, "run:\n  name: first\n---\nrun:\n  name: second\n");
    ConfigException second = assertThrows(ConfigException.class, () -> ConfigLoader.load("default", file, List.of()));
    assertTrue(second.getMessage().contains("line 4: a second YAML document is not supported"), second.getMessage());
  }

  @Test
  void defaultPresetIsNanoWithCalculatorChecksAndTheDefaultGrpoRecipe() {
    RunConfig config = ConfigLoader.load("default", null, List.of());
    assertEquals("default", config.curriculum());
    assertEquals(withCalculatorChecks(BaseConfig.preset("nano").withSeed(1)), config.base());
    assertEquals(RunConfig.DEFAULT_LR, config.grpo().schedule().lr());
    assertEquals(
        GrpoConfig.defaults().withSchedule(config.grpo().schedule()), config.grpo()); // only the rate differs
    assertEquals(RunSettings.defaults(), config.run());
    assertEquals(new RunSettings("default", "out/runs", 10, 3, true, "127.0.0.1", 8088, "auto", "none"), config.run());
  }

  @Test
  void smokePresetIsTiny() {
    RunConfig smoke = RunConfig.smoke();
    assertEquals(BaseConfig.preset("tiny").withSeed(1), smoke.base());
    GrpoConfig grpo = smoke.grpo();
    // a handful of completions per step, few steps, short completions: seconds on two cores
    assertTrue(grpo.steps() <= 5 && grpo.rollout().problemsPerStep() * grpo.rollout().groupSize() <= 8, grpo.toString());
    assertTrue(grpo.rollout().maxNewTokens() <= 64 && grpo.eval().problems() <= 8, grpo.toString());
    assertEquals(false, smoke.run().dashboard());
  }

  @Test
  void changingTheBasePresetMovesEveryBaseDefaultButTheCalculator() {
    RunConfig config = ConfigLoader.load("default", null, List.of("base.preset=tiny"));
    assertEquals(withCalculatorChecks(BaseConfig.preset("tiny").withSeed(1)), config.base());
    assertEquals(BaseConfig.preset("tiny").withSeed(1), ConfigLoader.load("no-tools", null, List.of("base.preset=tiny")).base());
    assertEquals(RunConfig.defaults().grpo(), config.grpo()); // other sections keep the preset's values
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
  void theToolPresetsChangeOnlyTheCalculatorAtEverySeed() {
    RunConfig defaults = RunConfig.defaults();
    assertEquals(1, defaults.base().corpus().toolShare());
    assertEquals(ToolTraces.Style.CHECKS, defaults.base().corpus().toolStyle());
    // the other designs as docs/tools.md measured them: the GRPO recipe at its own rate
    RunConfig tools = ConfigLoader.load("tools", null, List.of());
    assertEquals("tools", tools.run().name());
    assertEquals(GrpoConfig.defaults(), tools.grpo());
    CorpusConfig calls = defaults.base().corpus().withToolShare(RunConfig.TOOLS_SHARE).withToolStyle(ToolTraces.Style.CALLS);
    assertEquals(defaults.base().withCorpus(calls), tools.base());
    RunConfig noTools = ConfigLoader.load("no-tools", null, List.of());
    assertEquals("no-tools", noTools.run().name());
    assertEquals(GrpoConfig.defaults(), noTools.grpo());
    assertEquals(BaseConfig.preset("nano").withSeed(1), noTools.base());

    // a new base seed or model preset resets the base section, but keeps the calculator
    RunConfig seed3 = ConfigLoader.load("tools", null, List.of("base.seed=3", "grpo.seed=3"));
    BaseConfig nano3 = BaseConfig.preset("nano").withSeed(3);
    assertEquals(nano3.withCorpus(nano3.corpus().withToolShare(RunConfig.TOOLS_SHARE)), seed3.base());
    assertEquals(withCalculatorChecks(nano3), ConfigLoader.load("default", null, List.of("base.seed=3")).base());
    assertEquals(RunConfig.TOOLS_SHARE, ConfigLoader.load("tools", null, List.of("base.preset=tiny")).base().corpus().toolShare());
    // and what the user says still wins
    assertEquals(0.2, ConfigLoader.load("tools", null, List.of("base.seed=2", "base.corpus.tool_share=0.2")).base().corpus().toolShare());
    assertEquals(0, ConfigLoader.load("default", null, List.of("base.seed=2", "base.corpus.tool_share=0")).base().corpus().toolShare());
  }

  /** {@code base} with every SFT conversation checking its steps with the calculator, as the default preset has it. */
  private static BaseConfig withCalculatorChecks(BaseConfig base) {
    return base.withCorpus(base.corpus().withToolShare(1).withToolStyle(ToolTraces.Style.CHECKS));
  }

  @Test
  void theBaseSeedSeedsEveryBaseStage() {
    BaseConfig base = ConfigLoader.load("default", null, List.of("base.seed=5")).base();
    assertEquals(withCalculatorChecks(BaseConfig.preset("nano").withSeed(5)), base);
    assertEquals(5, base.corpus().seed());
    assertEquals(6, base.sft().seed());
  }

  @Test
  void setOverridesFileOverridesPreset() throws IOException {
    Path file = write("grpo:\n  steps: 7\n  rollout:\n    group_size: 3\nrun:\n  name: from-file\n");
    RunConfig config =
        ConfigLoader.load("smoke", file, List.of("grpo.steps=9", "run.port=9000", "run.port=9001"));
    assertEquals(9, config.grpo().steps()); // --set beats the file
    assertEquals(3, config.grpo().rollout().groupSize()); // the file beats the preset
    assertEquals(RunConfig.smoke().grpo().rollout().problemsPerStep(), config.grpo().rollout().problemsPerStep());
    assertEquals("from-file", config.run().name());
    assertEquals(9001, config.run().port()); // the last --set wins
  }

  @Test
  void setValuesAreYaml() {
    RunConfig config =
        ConfigLoader.load(
            "default",
            null,
            List.of(
                "grpo.markers=[wait, hmm]",
                "grpo.schedule.lr=1e-3",
                "grpo={loss: {beta: 0.05}, rollout: {top_k: 5}}",
                "run.name=2024"));
    assertEquals(List.of("wait", "hmm"), config.grpo().markers());
    assertEquals(1e-3, config.grpo().schedule().lr());
    assertEquals(0.05, config.grpo().loss().beta());
    assertEquals(5, config.grpo().rollout().topK());
    assertEquals(GrpoConfig.defaults().rollout().groupSize(), config.grpo().rollout().groupSize());
    assertEquals("2024", config.run().name()); // a number where text belongs is that text
    assertEquals(GrpoConfig.defaults().steps(), config.grpo().steps()); // a section merges
  }

  @Test
  void enumsUseTheirWireNames() throws IOException {
    RunConfig config =
        ConfigLoader.load("default", null, List.of("grpo.loss.type=dr_grpo", "grpo.reward.scale_rewards=none"));
    assertEquals(LossType.DR_GRPO, config.grpo().loss().type());
    assertEquals(ScaleRewards.NONE, config.grpo().reward().scaleRewards());
    String yaml = ConfigLoader.toYaml(config);
    assertTrue(yaml.contains("\n    type: dr_grpo\n"), yaml);
    assertTrue(yaml.contains("\n    scale_rewards: none\n"), yaml);
    ObjectMapper json = new ObjectMapper();
    assertEquals("\"dapo\"", json.writeValueAsString(LossType.DAPO));
    assertEquals(ScaleRewards.BATCH, json.readValue("\"batch\"", ScaleRewards.class));
  }

  @ParameterizedTest
  @ValueSource(strings = {"default", "tools", "no-tools", "smoke"})
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
            "grpo.loss.type=dapo",
            "grpo.schedule.lr=3.0e-7",
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
        "grpo.rollout.group_size=1            | grpo.rollout.group_size | grpo.rollout.group_size: must be >= 2, got 1",
        "grpo.group_size=1                    | grpo.rollout.group_size | grpo.rollout.group_size: must be >= 2, got 1",
        "grpo.stepz=3                         | grpo.stepz             | --set grpo.stepz: unknown key; did you mean grpo.steps?",
        "grpo.seq_len=64                      | grpo.seq_len           | did you mean base.pretrain.seq_len?",
        "base.pretrain.lrr=0.1                | base.pretrain.lrr      | did you mean base.pretrain.lr?",
        "grpo.zzzzzzzz=1                      | grpo.zzzzzzzz          | the keys of grpo are steps, rollout, loss, reward,",
        "model.hidden_size=8                  | model                  | --set model: unknown key; did you mean base.model?",
        "zzzzzzzzzz=1                         | zzzzzzzzzz             | the sections are curriculum, base, grpo, run",
        "grpo.steps=abc                       | grpo.steps             | --set grpo.steps: expected an integer, got \"abc\"",
        "grpo.steps=1.5                       | grpo.steps             | grpo.steps: expected an integer, got 1.5",
        "grpo.steps=3000000000                | grpo.steps             | grpo.steps: expected an integer, got 3000000000",
        "grpo.steps=                          | grpo.steps             | grpo.steps: no value; expected an integer",
        "grpo.schedule.lr=fast                | grpo.schedule.lr       | grpo.schedule.lr: expected a number, got \"fast\"",
        "grpo.rollout.dynamic_sampling=5      | grpo.rollout.dynamic_sampling | expected true or false, got 5",
        "grpo.markers=wait                    | grpo.markers           | grpo.markers: expected a list",
        "grpo.steps.x=1                       | grpo.steps             | grpo.steps: is a single value, not a section",
        "grpo=5                               | grpo                   | grpo: expected a section with the keys steps,",
        "grpo.loss.type=ppo                   | grpo.loss.type         | grpo.loss.type: unknown loss type 'ppo' (expected one of grpo, bnpo, dr_grpo, dapo)",
        "grpo.rollout.top_p=1.5               | grpo.rollout.top_p     | grpo.rollout.top_p: must be in (0, 1], got 1.5",
        "grpo.reward.overlong_buffer=256      | grpo.reward.overlong_buffer | grpo.reward.overlong_buffer: must be less than rollout.max_new_tokens (256)",
        "grpo.rollout.max_new_tokens=512      | grpo.rollout.max_new_tokens | grpo.rollout.max_new_tokens: must be less than base.model.max_positions (512)",
        "base.model.hidden_size=0             | base.model.hidden_size | base.model.hidden_size: must be >= 1, got 0",
        "base.model.num_heads=3               | base.model.hidden_size | base.model.hidden_size: 128 is not divisible by num_heads 3",
        "base.pretrain.steps=0                | base.pretrain.steps    | base.pretrain.steps: must be >= 1, got 0",
        "base.sft.seq_len=1024                | base.sft.seq_len       | base.sft.seq_len: must be at most model.max_positions (512), got 1024",
        "base.pretrain.warmup_steps=5000      | base.pretrain.warmup_steps | base.pretrain.warmup_steps: must be at most steps (2400), got 5000",
        "base.sft.beta2=1.0                   | base.sft.beta2         | base.sft.beta2: must be in [0, 1), got 1.0",
        "grpo.optimizer.beta1=1.0             | grpo.optimizer.beta1   | grpo.optimizer.beta1: must be in [0, 1), got 1.0",
        "grpo.schedule.lr=-1.0                | grpo.schedule.lr       | grpo.schedule.lr: must be positive, got -1.0",
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
  void aConfigFromBeforeTheGrpoSectionNestedReadsTheSame() throws IOException {
    // the grpo section of a run's config.yaml as runs wrote it before (every key flat)
    String flat =
        "grpo:\n  steps: 7\n  problems_per_step: 3\n  group_size: 5\n  max_new_tokens: 40\n  loss_type: dr_grpo\n"
            + "  beta: 0.01\n  lr: 1.0e-3\n  warmup_steps: 2\n  micro_batch: 4\n  mask_truncated: false\n"
            + "  overlong_buffer: 8\n  eval_every: 3\n  eval_samples: 2\n  log_samples: 1\n  seed: 9\n";
    GrpoConfig d = GrpoConfig.defaults();
    GrpoConfig expected =
        d.withSteps(7)
            .withRollout(d.rollout().withProblems(3, d.rollout().problemsPerRound()).withGroupSize(5).withMaxNewTokens(40))
            .withLoss(new PolicyLossConfig(LossType.DR_GRPO, 0.2, 0.28, 0.01))
            .withSchedule(new GrpoConfig.Schedule(1e-3, 2, d.schedule().minLrRatio()))
            .withOptimizer(new GrpoConfig.Optimizer(0.9, 0.99, 0.0, 1.0, 1, 4))
            .withReward(d.reward().withMaskTruncated(false).withOverlong(8, 1.0))
            .withEval(new GrpoConfig.Eval(3, 256, 2, 256))
            .withLogSamples(1)
            .withSeed(9);
    assertEquals(expected, ConfigLoader.load("default", write(flat), List.of()).grpo());
    // and a flat --set, as older scripts and notes write it, sets the nested key
    assertEquals(4, ConfigLoader.load("default", null, List.of("grpo.group_size=4")).grpo().rollout().groupSize());
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
    assertEquals(file + ": grpo.group_sise: unknown key; did you mean grpo.rollout.group_size?", e.getMessage());
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
    assertEquals("--preset: unknown preset 'huge'; expected one of default, tools, no-tools, smoke", noPreset.getMessage());
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
        "grpo.rollout.group_size", "grpo.loss.type", "grpo.eval.every", "grpo.markers", "run.checkpoint_every",
        "run.device")), keys.toString());
    assertTrue(keys.indexOf("base.preset") < keys.indexOf("grpo"));
  }

  private Path write(String yaml) throws IOException {
    Path file = Files.createTempFile(dir, "config", ".yaml");
    Files.writeString(file, yaml);
    return file;
  }
}
