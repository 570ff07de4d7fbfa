package io.connectionmanager.core.runtime;

import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The handler pool's queue, where one idle worker at a time spins for {@code spinNanos}
 * before it parks. Waking a parked thread costs tens of microseconds (the scheduler has
 * to run it again), which is most of what the hop from the event loop to the handler
 * costs; a task handed to the spinning worker through its slot starts within about a
 * microsecond. The queue alone cannot do it: it hands every offered task to a parked
 * waiter first, so the spinner would rarely see work.
 * <p>
 * The cost is bounded: only one thread spins, for at most {@code spinNanos} after it last
 * found work, and only while spinning pays ({@link SpinPolicy}), so an idle pool burns
 * nothing, a pool whose tasks come further apart than the spin soon stops spinning, and a
 * busy one never spins.
 */
final class SpinningHandOffQueue extends LinkedTransferQueue<Runnable> {

	private final long spinNanos;

	private final AtomicBoolean spinnerPresent = new AtomicBoolean();

	private final AtomicReference<Runnable> slot = new AtomicReference<>();

	/** Used only by the thread that holds {@link #spinnerPresent}. */
	private final SpinPolicy policy = new SpinPolicy();

	SpinningHandOffQueue(long spinNanos) {
		this.spinNanos = spinNanos;
	}

	/**
	 * Hands the task to the spinning worker, if there is one and its slot is free.
	 * @return {@code false} if the task must be queued as usual
	 */
	boolean handToSpinner(Runnable task) {
		if (!this.spinnerPresent.get() || !this.slot.compareAndSet(null, task)) {
			return false;
		}
		// The spinner may have left after the first check, and after its last look at the
		// slot: take the task back unless a new spinner has arrived to find it.
		return this.spinnerPresent.get() || !this.slot.compareAndSet(task, null);
	}

	/** Whether a worker is spinning right now (for tests). */
	boolean hasSpinner() {
		return this.spinnerPresent.get();
	}

	@Override
	public Runnable take() throws InterruptedException {
		Runnable task = spin();
		return (task != null) ? task : super.take();
	}

	@Override
	public Runnable poll(long timeout, TimeUnit unit) throws InterruptedException {
		Runnable task = spin();
		return (task != null) ? task : super.poll(timeout, unit);
	}

	/** Spins for a task unless another worker already does; {@code null} if none came. */
	private Runnable spin() {
		if (this.spinNanos <= 0 || !this.spinnerPresent.compareAndSet(false, true)) {
			return null;
		}
		Runnable task = null;
		try {
			if (this.policy.shouldSpin()) {
				long deadline = System.nanoTime() + this.spinNanos;
				Thread self = Thread.currentThread();
				while (task == null && deadline - System.nanoTime() > 0 && !self.isInterrupted()) {
					task = (this.slot.get() != null) ? this.slot.getAndSet(null) : super.poll();
					Thread.onSpinWait();
				}
				this.policy.spun(task != null);
			}
		}
		finally {
			this.spinnerPresent.set(false);
		}
		// A task may have landed in the slot just before the spinner left.
		return (task != null) ? task : this.slot.getAndSet(null);
	}

}
