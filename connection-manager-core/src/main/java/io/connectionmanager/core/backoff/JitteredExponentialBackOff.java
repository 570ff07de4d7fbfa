package io.connectionmanager.core.backoff;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Exponential backoff with a cap, a maximum number of attempts and AWS-style
 * {@link Jitter}, as a Spring {@link BackOff}. Each {@link #start()} begins a fresh
 * sequence; an execution is used from one thread (the connection's event loop) and never
 * blocks.
 * <h2>{@link Jitter#SPREAD}</h2> With {@code d} the initial delay, {@code m} the
 * multiplier, {@code r = sqrt(m)} and {@code S(x) = d (r^x - 1) / (r - 1)}
 * ({@code S(x) = d x} when {@code r = 1}), the un-jittered schedule of growth {@code r}
 * makes its attempts at {@code S(1), S(2), ...} after the loss. A SPREAD execution draws
 * one phase {@code u} in [0, 1) when it starts and makes attempt {@code k} (0-based) at
 * {@code S(k + u)}: the same schedule, shifted by a fraction of a step. Its delays are
 * therefore
 *
 * <pre>
 * delay(0) = S(u)                               in [0, d)
 * delay(k) = min(maxDelay, d r^(k - 1 + u))     in [d r^(k-1), d r^k), k &gt;= 1
 * </pre>
 *
 * so every delay is below the ceiling {@code min(maxDelay, d m^k)} of its attempt, the
 * delays grow exponentially (by {@code r} per attempt) until they reach {@code maxDelay},
 * and from then on a connection retries every {@code maxDelay} (full jitter: every
 * {@code maxDelay / 2} on average).
 * <p>
 * Why it spreads a crowd: with phases uniform over [0, 1), between {@code S(j)} and
 * {@code S(j + 1)} every connection makes exactly one attempt, at a density proportional
 * to {@code 1 / S'(x)}. When the server is back at time {@code R}, each connection's next
 * attempt succeeds, so the crowd returns over one step, {@code W = (r - 1) R + d}, and
 * the density falls by {@code r} across that window: the peak is {@code (r - 1) / ln r}
 * times an even spread (1.19 for {@code m = 2}; 1 once the delays are capped). With
 * {@code r = m} instead of {@code sqrt(m)} that factor is 1.44 and the window twice as
 * long (defaults, 1 s outage: back 2 s after the return instead of 1.4 s); the price of
 * {@code sqrt(m)} is more attempts before the cap (defaults: about 11 in the first 100 s
 * where full jitter makes about 10, and then half as many).
 * <p>
 * Without an injected random, the phases come from one sequence per process
 * ({@link EvenPhases}): the connections of one process that drop together are spread
 * evenly, not merely at random, which removes the sampling noise of independent draws
 * (about {@code sqrt(count)} per 100 ms bucket). Processes start the sequence at random
 * points, so separate processes are independent of each other.
 */
public final class JitteredExponentialBackOff implements BackOff {

	private final long initialMillis;

	private final long maxMillis;

	private final double multiplier;

	private final Jitter jitter;

	private final int maxAttempts;

	private final RandomGenerator random;

	/**
	 * @param random the jitter source, or {@code null} for the drawing thread's
	 * {@link ThreadLocalRandom} (looked up at each draw: an instance captured on one
	 * thread and used on another reads that thread's uninitialised seed, which would give
	 * every process the same "random" delays); a given one is used from the connection's
	 * event loop only
	 */
	public JitteredExponentialBackOff(Duration initialDelay, Duration maxDelay, double multiplier, Jitter jitter,
			int maxAttempts, RandomGenerator random) {
		this.initialMillis = initialDelay.toMillis();
		this.maxMillis = maxDelay.toMillis();
		this.multiplier = multiplier;
		this.jitter = Objects.requireNonNull(jitter, "jitter");
		this.maxAttempts = maxAttempts;
		this.random = random;
	}

	@Override
	public BackOffExecution start() {
		return new Execution();
	}

	public Jitter jitter() {
		return this.jitter;
	}

	/** The un-jittered ceiling for a 0-based attempt, without overflow. */
	long ceiling(int attempt) {
		double value = this.initialMillis * Math.pow(this.multiplier, attempt);
		return (value >= this.maxMillis || Double.isNaN(value)) ? this.maxMillis : (long) value;
	}

	/**
	 * SPREAD's delay before the 0-based {@code attempt} for a phase in [0, 1); see the
	 * class description.
	 */
	long spread(int attempt, double phase) {
		double logGrowth = Math.log(this.multiplier) / 2;
		double value;
		if (attempt == 0) {
			// S(u) = d (r^u - 1) / (r - 1), and d u in the limit r -> 1.
			value = (logGrowth < 1e-12) ? this.initialMillis * phase
					: this.initialMillis * Math.expm1(phase * logGrowth) / Math.expm1(logGrowth);
		}
		else {
			value = this.initialMillis * Math.exp((attempt - 1 + phase) * logGrowth);
		}
		return (value >= this.maxMillis || Double.isNaN(value)) ? this.maxMillis : (long) value;
	}

	private long between(long low, long high) {
		RandomGenerator generator = (this.random != null) ? this.random : ThreadLocalRandom.current();
		return (high <= low) ? low : low + generator.nextLong(high - low + 1);
	}

	private final class Execution implements BackOffExecution {

		private int attempts;

		private long previous = JitteredExponentialBackOff.this.initialMillis;

		/** SPREAD's fraction of a step, drawn once per execution. */
		private final double phase = (JitteredExponentialBackOff.this.jitter != Jitter.SPREAD) ? 0
				: (JitteredExponentialBackOff.this.random != null) ? JitteredExponentialBackOff.this.random.nextDouble()
						: EvenPhases.PROCESS.next();

		@Override
		public long nextBackOff() {
			if (JitteredExponentialBackOff.this.maxAttempts >= 0
					&& this.attempts >= JitteredExponentialBackOff.this.maxAttempts) {
				return STOP;
			}
			if (JitteredExponentialBackOff.this.jitter == Jitter.SPREAD) {
				return spread(this.attempts++, this.phase);
			}
			long ceiling = ceiling(this.attempts++);
			return switch (JitteredExponentialBackOff.this.jitter) {
				case NONE -> ceiling;
				case FULL -> between(0, ceiling);
				case EQUAL -> ceiling / 2 + between(0, ceiling - ceiling / 2);
				case DECORRELATED -> this.previous = Math.min(JitteredExponentialBackOff.this.maxMillis,
						between(JitteredExponentialBackOff.this.initialMillis, this.previous * 3));
				case SPREAD -> throw new IllegalStateException("handled above");
			};
		}

		@Override
		public String toString() {
			return "JitteredExponentialBackOff[" + JitteredExponentialBackOff.this.jitter + ", attempts="
					+ this.attempts + "]";
		}

	}

}
