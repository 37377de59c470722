package aha.sampler.service;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Passes an object by reference over the local event bus. The service's messages hold arrays,
 * functions and verdicts that have no wire form, and they never leave the JVM: encoding to the wire
 * fails.
 */
final class LocalCodec<T> implements MessageCodec<T, T> {

  private final Class<T> type;

  private LocalCodec(Class<T> type) {
    this.type = type;
  }

  /**
   * Makes {@code type} travel by reference on {@code bus}. Idempotent: a second service on the same
   * Vert.x instance finds the codec already there.
   */
  static <T> void register(EventBus bus, Class<T> type) {
    try {
      bus.registerDefaultCodec(type, new LocalCodec<>(type));
    } catch (IllegalStateException alreadyRegistered) {
      // registered by an earlier service on this Vert.x instance; codecs are never unregistered
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, T message) {
    throw new UnsupportedOperationException(
        type.getName() + " is local-only: send it with DeliveryOptions.setLocalOnly(true)");
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException(type.getName() + " is local-only");
  }

  @Override
  public T transform(T message) {
    return message;
  }

  @Override
  public String name() {
    return "aha.local." + type.getName();
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
