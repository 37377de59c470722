package aha.sampler.service;

import io.vertx.core.Future;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;

/** Waiting for a Vert.x future on a plain thread (a trainer's, a command's), never on a Vert.x one. */
public final class VertxFutures {

  private VertxFutures() {}

  /**
   * The future's result, once it has one. Its failure is rethrown: an unchecked one as it is, an
   * {@link IOException} (a replica that could not load its checkpoint) as an {@link
   * UncheckedIOException}, any other as an {@link IllegalStateException}.
   */
  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the sampling service", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      if (cause instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw new IllegalStateException(cause);
    }
  }
}
