package aha.sampler.service;

/** A sampling request or weights update that a replica could not carry out. */
public final class SamplingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SamplingException(String message, Throwable cause) {
    super(message, cause);
  }
}
