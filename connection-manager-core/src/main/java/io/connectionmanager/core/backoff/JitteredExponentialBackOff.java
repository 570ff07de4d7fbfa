package io.connectionmanager.core.backoff;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

import io.connectionmanager.core.config.ReconnectSettings;

import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Exponential backoff with a cap, a maximum number of attempts and AWS-style
 * {@link Jitter}, as a Spring {@link BackOff}. Each {@link #start()} begins a fresh
 * sequence; an execution is used from one thread (the connection's event loop) and never
 * blocks.
 */
public final class JitteredExponentialBackOff implements BackOff {

	private final long initialMillis;

	private final long maxMillis;

	private final double multiplier;

	private final Jitter jitter;

	private final int maxAttempts;

	private final RandomGenerator random;

	/**
	 * Jitter from the drawing thread's {@link ThreadLocalRandom}. It is looked up at each
	 * draw: an instance captured on one thread and used on another reads that thread's
	 * uninitialised seed, which would give every process the same "random" delays.
	 */
	public JitteredExponentialBackOff(ReconnectSettings settings) {
		this(settings.initialDelay(), settings.maxDelay(), settings.multiplier(), settings.jitter(),
				settings.maxAttempts(), null);
	}

	/**
	 * @param settings validated delays and limits
	 * @param random the source of jitter, used from the connection's event loop only;
	 * inject a seeded one for reproducible tests
	 */
	public JitteredExponentialBackOff(ReconnectSettings settings, RandomGenerator random) {
		this(settings.initialDelay(), settings.maxDelay(), settings.multiplier(), settings.jitter(),
				settings.maxAttempts(), Objects.requireNonNull(random, "random"));
	}

	/**
	 * @param random the jitter source, or {@code null} for the drawing thread's
	 * {@link ThreadLocalRandom}
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

	private long between(long low, long high) {
		RandomGenerator generator = (this.random != null) ? this.random : ThreadLocalRandom.current();
		return (high <= low) ? low : low + generator.nextLong(high - low + 1);
	}

	private final class Execution implements BackOffExecution {

		private int attempts;

		private long previous = JitteredExponentialBackOff.this.initialMillis;

		@Override
		public long nextBackOff() {
			if (JitteredExponentialBackOff.this.maxAttempts >= 0
					&& this.attempts >= JitteredExponentialBackOff.this.maxAttempts) {
				return STOP;
			}
			long ceiling = ceiling(this.attempts++);
			return switch (JitteredExponentialBackOff.this.jitter) {
				case NONE -> ceiling;
				case FULL -> between(0, ceiling);
				case EQUAL -> ceiling / 2 + between(0, ceiling - ceiling / 2);
				case DECORRELATED -> this.previous = Math.min(JitteredExponentialBackOff.this.maxMillis,
						between(JitteredExponentialBackOff.this.initialMillis, this.previous * 3));
			};
		}

		@Override
		public String toString() {
			return "JitteredExponentialBackOff[" + JitteredExponentialBackOff.this.jitter + ", attempts="
					+ this.attempts + "]";
		}

	}

}
