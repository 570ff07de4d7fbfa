package io.connectionmanager.core.backoff;

/**
 * Jitter strategies as defined in AWS's "Exponential Backoff And Jitter", where
 * {@code ceiling} is {@code min(maxDelay, initialDelay * multiplier^attempt)}.
 */
public enum Jitter {

	/**
	 * {@code random(0, ceiling)}: the least total work for a crowd of clients; the
	 * default.
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
	NONE

}
