package aha.sampler.service;

import aha.sampler.generate.CompletionSampler;

/**
 * Makes the sampler of one replica. Called once per replica, on the thread that will own the
 * sampler (loading a model there keeps its native state with its user), never on an event loop.
 *
 * @param <S> the sampler type, which {@link SamplingService#publishWeights} updates
 */
@FunctionalInterface
public interface SamplerFactory<S extends CompletionSampler> {

  /**
   * The sampler of replica {@code replica} (0-based). If it is {@link AutoCloseable}, the service
   * closes it on the same thread when it shuts down.
   */
  S create(int replica) throws Exception;
}
