package io.connectionmanager.core.backoff;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Phases in [0, 1) for {@link Jitter#SPREAD}: the additive golden-ratio (Weyl) sequence
 * {@code frac(start + n / phi)}. Consecutive phases fill [0, 1) evenly (any {@code n}
 * consecutive ones leave no gap wider than about {@code 2.6 / n}), so the connections of
 * one process that lose their server together spread like a grid instead of like dice:
 * the attempts per 100 ms vary by about one instead of by the square root of the count.
 * The start is random per process, so that separate processes do not walk in lockstep.
 * Lock-free; safe from any thread.
 */
final class EvenPhases {

	/** 2^64 / golden ratio: the increment of the sequence in 64-bit fixed point. */
	private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

	/** The sequence shared by every backoff of this process. */
	static final EvenPhases PROCESS = new EvenPhases(ThreadLocalRandom.current().nextLong());

	private final AtomicLong state;

	EvenPhases(long start) {
		this.state = new AtomicLong(start);
	}

	/** The next phase, in [0, 1). */
	double next() {
		return (this.state.getAndAdd(GOLDEN_GAMMA) >>> 11) * 0x1.0p-53;
	}

}
