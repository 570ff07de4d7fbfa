package io.connectionmanager.core.backoff;

/**
 * Jitter strategies as defined in AWS's "Exponential Backoff And Jitter", where
 * {@code ceiling} is {@code min(maxDelay, initialDelay * multiplier^attempt)}.
 */
public enum Jitter {

	/**
	 * {@code random(0, ceiling)}: the least total work for a crowd of clients (the
	 * default before 0.2.0).
	 */
	FULL,

	/**
	 * {@code ceiling/2 + random(0, ceiling/2)}: never retries sooner than half the
	 * ceiling.
	 */
	EQUAL,

	/**
	 * {@code min(maxDelay, random(initialDelay, previous * 3))}: grows from the previous
	 * delay, not the attempt.
	 */
	DECORRELATED,

	/**
	 * {@code ceiling}: every client retries at the same instants. Only for tests and
	 * comparisons.
	 */
	NONE,

	/**
	 * Every connection walks the same un-jittered schedule, shifted by a random fraction
	 * of one step, so that a crowd that lost its server together comes back evenly
	 * spread: the delays grow by {@code sqrt(multiplier)} per attempt, and the phases of
	 * the connections of one process are spread evenly rather than independently. See
	 * {@link JitteredExponentialBackOff} for the definition and the arithmetic.
	 * <p>
	 * With 1,000 connections, defaults (1 s, 30 s, x2) and a 1 s outage, the connect
	 * attempts after the server's return peak at about 1.3 times an even spread and all
	 * are back 1.4 s after it (full jitter: about 5 times, and seconds later). The
	 * default.
	 */
	SPREAD

}
