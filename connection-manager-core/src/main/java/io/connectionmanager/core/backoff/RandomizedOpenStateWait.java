package io.connectionmanager.core.backoff;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import io.github.resilience4j.core.IntervalFunction;

/**
 * A circuit breaker's open-state wait (a Resilience4j {@code IntervalFunction}):
 * {@code wait × (1 ± factor)}, drawn afresh each time the breaker opens, so that a fleet
 * whose breakers opened together probes spread out. Resilience4j draws it when the
 * breaker opens and keeps it to itself; this function remembers the last draw, which is
 * how the engine knows when the probe is due.
 */
public final class RandomizedOpenStateWait implements IntervalFunction {

	private final long waitMillis;

	private final double factor;

	private volatile long lastDrawnMillis;

	private RandomizedOpenStateWait(long waitMillis, double factor) {
		this.waitMillis = waitMillis;
		this.factor = factor;
		this.lastDrawnMillis = waitMillis;
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
		this.lastDrawnMillis = drawn;
		return drawn;
	}

	/** The wait drawn when the breaker last opened. */
	public long lastDrawnMillis() {
		return this.lastDrawnMillis;
	}

}
