package io.connectionmanager.core.backoff;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import io.github.resilience4j.core.IntervalFunction;

/**
 * A circuit breaker's open-state wait (a Resilience4j {@code IntervalFunction}):
 * {@code wait × (1 ± factor)}, drawn afresh each time the breaker opens, so that a fleet
 * whose breakers opened together probes spread out. Resilience4j draws it when the
 * breaker opens and keeps it to itself; this function remembers the last draw on each
 * thread, which is how the engine knows when the probe is due. Resilience4j draws on the
 * thread that opens the breaker and publishes the transition on that same thread, so one
 * function can serve every breaker of the same settings (a fleet shares one configuration
 * instead of carrying a copy each).
 */
public final class RandomizedOpenStateWait implements IntervalFunction {

	private final long waitMillis;

	private final double factor;

	private final ThreadLocal<long[]> lastDrawnOnThisThread;

	private RandomizedOpenStateWait(long waitMillis, double factor) {
		this.waitMillis = waitMillis;
		this.factor = factor;
		this.lastDrawnOnThisThread = ThreadLocal.withInitial(() -> new long[] { waitMillis });
	}

	public static RandomizedOpenStateWait of(Duration wait, double factor) {
		return new RandomizedOpenStateWait(wait.toMillis(), factor);
	}

	@Override
	public Long apply(Integer attempt) {
		long drawn = this.waitMillis;
		if (this.factor > 0) {
			double delta = this.factor * this.waitMillis;
			drawn = Math.max(1,
					Math.round(this.waitMillis - delta + ThreadLocalRandom.current().nextDouble() * 2 * delta));
		}
		this.lastDrawnOnThisThread.get()[0] = drawn;
		return drawn;
	}

	/**
	 * The wait last drawn on the calling thread (the configured wait if none was): read
	 * from a listener of the breaker's transition to OPEN, the wait of that opening.
	 */
	public long lastDrawnMillis() {
		return this.lastDrawnOnThisThread.get()[0];
	}

}
