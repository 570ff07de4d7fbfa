package io.connectionmanager.core.runtime;

/**
 * Whether to spin through the next idle gap, learnt from how the last ones went, so that
 * a spin costs CPU only while it pays: after {@value #MISSES_BEFORE_PROBING} spins in a
 * row that ended with nothing to do (traffic with longer gaps, or none), only every
 * {@value #PROBE_EVERY}th gap is spun through, until one of them finds work again. Used
 * by one thread at a time (whoever spins), not thread-safe.
 */
final class SpinPolicy {

	static final int MISSES_BEFORE_PROBING = 8;

	static final int PROBE_EVERY = 16;

	private int misses;

	private int skipped;

	/** At the start of an idle gap: spin through it? */
	boolean shouldSpin() {
		if (this.misses < MISSES_BEFORE_PROBING) {
			return true;
		}
		this.skipped++;
		return this.skipped % PROBE_EVERY == 0;
	}

	/** How the spin ended: work arrived ({@code true}) or the spin ran out. */
	void spun(boolean foundWork) {
		this.misses = foundWork ? 0 : this.misses + 1;
	}

}
