package io.connectionmanager.core.runtime;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;

/**
 * Keeps an event loop polling its selector for {@code spinNanos} after it last had work,
 * then lets it block as usual. A loop that blocks must be woken (a system call, then the
 * scheduler has to run it again: tens of microseconds) when a handler thread sends
 * something; a loop that is still polling picks the write up at once. Only while spinning
 * pays ({@link SpinPolicy}): a loop whose work comes further apart than the spin soon
 * blocks at once again. One instance per loop, used only on that loop.
 */
final class SpinningSelectStrategy implements SelectStrategy {

	private final long spinNanos;

	private final SpinPolicy policy = new SpinPolicy();

	private long lastWorkNanos;

	/** Whether the loop is spinning through an idle gap right now. */
	private boolean spinning;

	/** Whether the loop was last told to block (so this call follows a wake-up). */
	private boolean blocked;

	SpinningSelectStrategy(long spinNanos) {
		this.spinNanos = spinNanos;
	}

	@Override
	public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
		int ready = selectNow.get();
		long now = System.nanoTime();
		if (ready > 0 || hasTasks || this.blocked) {
			// work, or the loop has just woken from blocking (for work it has now done)
			if (this.spinning) {
				this.spinning = false;
				this.policy.spun(true);
			}
			this.blocked = false;
			this.lastWorkNanos = now;
			return ready;
		}
		if (!this.spinning) {
			if (!this.policy.shouldSpin()) {
				return block();
			}
			this.spinning = true;
		}
		if (now - this.lastWorkNanos < this.spinNanos) {
			return ready;
		}
		this.spinning = false;
		this.policy.spun(false);
		return block();
	}

	private int block() {
		this.blocked = true;
		return SelectStrategy.SELECT;
	}

}
