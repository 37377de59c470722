package aha.verifier.math;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.Objects;

/**
 * An exact rational number {@code numerator / denominator}, always normalized: the denominator is
 * positive and shares no factor with the numerator, so {@link #equals} is value equality ({@code
 * 0.5} and {@code 1/2} are the same Rational).
 *
 * <p>Operations are pure and unbounded; callers that evaluate untrusted input check {@link
 * #approximateDigits()} against their caps after each step.
 */
public final class Rational implements Comparable<Rational> {
  public static final Rational ZERO = new Rational(BigInteger.ZERO, BigInteger.ONE);
  public static final Rational ONE = new Rational(BigInteger.ONE, BigInteger.ONE);

  /** log10(2), to turn bit lengths into decimal digit counts. */
  private static final double DIGITS_PER_BIT = 0.30103;

  private final BigInteger numerator;
  private final BigInteger denominator;

  private Rational(BigInteger numerator, BigInteger denominator) {
    this.numerator = numerator;
    this.denominator = denominator;
  }

  /**
   * The normalized fraction {@code numerator / denominator}.
   *
   * @throws ArithmeticException when the denominator is zero
   */
  public static Rational of(BigInteger numerator, BigInteger denominator) {
    if (denominator.signum() == 0) {
      throw new ArithmeticException("division by zero");
    }
    if (denominator.signum() < 0) {
      numerator = numerator.negate();
      denominator = denominator.negate();
    }
    BigInteger gcd = numerator.gcd(denominator);
    if (!gcd.equals(BigInteger.ONE) && gcd.signum() != 0) {
      numerator = numerator.divide(gcd);
      denominator = denominator.divide(gcd);
    }
    return new Rational(numerator, denominator);
  }

  public static Rational of(BigInteger integer) {
    return new Rational(integer, BigInteger.ONE);
  }

  public static Rational of(long integer) {
    return new Rational(BigInteger.valueOf(integer), BigInteger.ONE);
  }

  public static Rational of(long numerator, long denominator) {
    return of(BigInteger.valueOf(numerator), BigInteger.valueOf(denominator));
  }

  /** The exact value of a BigDecimal: {@code 0.50} becomes 1/2. */
  public static Rational of(BigDecimal decimal) {
    if (decimal.scale() <= 0) {
      return of(decimal.toBigIntegerExact());
    }
    return of(decimal.unscaledValue(), BigInteger.TEN.pow(decimal.scale()));
  }

  public BigInteger numerator() {
    return numerator;
  }

  public BigInteger denominator() {
    return denominator;
  }

  public boolean isInteger() {
    return denominator.equals(BigInteger.ONE);
  }

  public int signum() {
    return numerator.signum();
  }

  /** An upper estimate of the decimal digits of the longer of numerator and denominator. */
  public long approximateDigits() {
    int bits = Math.max(numerator.bitLength(), denominator.bitLength());
    return (long) Math.ceil(bits * DIGITS_PER_BIT) + 1;
  }

  public Rational add(Rational other) {
    if (denominator.equals(other.denominator)) {
      return of(numerator.add(other.numerator), denominator);
    }
    return of(
        numerator.multiply(other.denominator).add(other.numerator.multiply(denominator)),
        denominator.multiply(other.denominator));
  }

  public Rational subtract(Rational other) {
    return add(other.negate());
  }

  public Rational multiply(Rational other) {
    return of(numerator.multiply(other.numerator), denominator.multiply(other.denominator));
  }

  /**
   * @throws ArithmeticException when {@code other} is zero
   */
  public Rational divide(Rational other) {
    return multiply(other.reciprocal());
  }

  public Rational negate() {
    return new Rational(numerator.negate(), denominator);
  }

  /**
   * @throws ArithmeticException when this is zero
   */
  public Rational reciprocal() {
    return of(denominator, numerator);
  }

  /**
   * This to an integer power; the caller bounds the exponent.
   *
   * @throws ArithmeticException for zero to a negative power
   */
  public Rational pow(int exponent) {
    if (exponent >= 0) {
      return new Rational(numerator.pow(exponent), denominator.pow(exponent));
    }
    return reciprocal().pow(-exponent);
  }

  /** This value rounded to {@code context}. */
  public BigDecimal toBigDecimal(MathContext context) {
    if (isInteger()) {
      return new BigDecimal(numerator, context);
    }
    return new BigDecimal(numerator).divide(new BigDecimal(denominator), context);
  }

  @Override
  public int compareTo(Rational other) {
    return numerator.multiply(other.denominator).compareTo(other.numerator.multiply(denominator));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Rational r
        && numerator.equals(r.numerator)
        && denominator.equals(r.denominator);
  }

  @Override
  public int hashCode() {
    return Objects.hash(numerator, denominator);
  }

  /** {@code "n"} for integers, else {@code "n/d"}. */
  @Override
  public String toString() {
    return isInteger() ? numerator.toString() : numerator + "/" + denominator;
  }
}
