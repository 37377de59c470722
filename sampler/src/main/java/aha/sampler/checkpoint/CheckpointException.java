package aha.sampler.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint that cannot be read as this model: a missing or misshapen tensor, an unknown
 * architecture or dtype, a truncated file. The message starts with the file and names the tensor or
 * config field: {@code /ckpt/model.safetensors: tensor model.norm.weight: shape [8] but the config
 * needs [16]}.
 *
 * <p>It is an {@link IOException} because it is a fact about files, met where files are read.
 */
public final class CheckpointException extends IOException {

  private static final long serialVersionUID = 1L;

  /** A problem with {@code file}; {@code detail} names the tensor or field. */
  public CheckpointException(Path file, String detail) {
    super(file + ": " + detail);
  }

  /** A problem with {@code file} that another exception revealed. */
  public CheckpointException(Path file, String detail, Throwable cause) {
    super(file + ": " + detail, cause);
  }
}
