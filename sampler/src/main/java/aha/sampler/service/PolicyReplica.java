package aha.sampler.service;

import aha.sampler.checkpoint.Checkpoints;
import aha.sampler.generate.Completion;
import aha.sampler.generate.CompletionSampler;
import aha.sampler.generate.Generator;
import aha.sampler.generate.SamplingParams;
import aha.sampler.model.Transformer;
import aha.sampler.tokenizer.ChatTemplate;
import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The sampling service's copy of the policy: its own weights on its own manager, with a
 * generator over them. The trainer changes the policy's weights in place while it learns, so the
 * sampler never reads them directly; after each step the trainer publishes them, and the replica
 * copies them between sampling requests ({@link #copyWeightsFrom}). {@code aha sample} loads one
 * straight from a checkpoint ({@link #load}).
 */
public final class PolicyReplica implements CompletionSampler, AutoCloseable {

  private final NDManager manager;
  private final Transformer model;
  private final Generator generator;

  private PolicyReplica(NDManager manager, Transformer model, Generator generator) {
    this.manager = manager;
    this.model = model;
    this.generator = generator;
  }

  /** A replica of {@code policy} on the same device, holding a copy of its current weights. */
  public static PolicyReplica copyOf(Transformer policy, ChatTemplate template) {
    NDManager manager = NDManager.newBaseManager(policy.device());
    try {
      Transformer model = new Transformer(policy.config());
      model.initializeEmpty(manager);
      copyWeights(policy, model);
      return new PolicyReplica(manager, model, Generator.forChat(model, template));
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** A replica loaded from a checkpoint directory onto {@code device}. */
  public static PolicyReplica load(Path dir, Device device, ChatTemplate template) throws IOException {
    NDManager manager = NDManager.newBaseManager(device);
    try {
      Transformer model = Checkpoints.load(dir, manager);
      return new PolicyReplica(manager, model, Generator.forChat(model, template));
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** Overwrites this replica's weights with {@code policy}'s, which must not change meanwhile. */
  public void copyWeightsFrom(Transformer policy) {
    copyWeights(policy, model);
  }

  /**
   * Overwrites this replica's weights with those of the checkpoint in {@code dir} (a sampler node
   * takes each new policy version this way), checked as {@link Checkpoints#load} checks them: a
   * checkpoint of another shape is refused and the weights stay as they were.
   */
  public void loadWeights(Path dir) throws IOException {
    Checkpoints.loadInto(dir, model);
  }

  /** The model this replica samples with (its shape; its weights change only through this class). */
  public Transformer model() {
    return model;
  }

  /** Copies every tensor of {@code from} into {@code to}, models of the same shape. */
  public static void copyWeights(Transformer from, Transformer to) {
    if (!from.config().equals(to.config())) {
      throw new IllegalArgumentException("models differ in shape: " + from.config() + " vs " + to.config());
    }
    for (String name : from.hfTensorNames()) {
      to.setHfTensor(name, from.hfTensor(name));
    }
  }

  @Override
  public List<Completion> sample(List<int[]> prompts, SamplingParams params) {
    return generator.sample(prompts, params);
  }

  @Override
  public void close() {
    generator.close();
    manager.close();
  }
}
