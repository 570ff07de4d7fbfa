package io.connectionmanager.core.internal.engine;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs one connection's callbacks on a shared pool, one at a time and in submission
 * order: user code never runs on an event loop, and a slow callback holds up only its own
 * connection. A callback that throws (even an {@link Error}) is reported and the lane
 * carries on with the next one.
 */
final class SerialLane implements Executor {

	private final Executor pool;

	private final Consumer<Throwable> onFailure;

	private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean draining = new AtomicBoolean();

	/**
	 * @param pool where the lane's tasks run
	 * @param onFailure told of every {@link Throwable} a task throws
	 */
	SerialLane(Executor pool, Consumer<Throwable> onFailure) {
		this.pool = pool;
		this.onFailure = onFailure;
	}

	@Override
	public void execute(Runnable task) {
		this.tasks.add(task);
		if (this.draining.compareAndSet(false, true)) {
			try {
				this.pool.execute(this::drain);
			}
			catch (RejectedExecutionException ex) {
				// The pool is shutting down with the runtime: nothing will run these any
				// more.
				this.tasks.clear();
				this.draining.set(false);
			}
		}
	}

	/** Whether no task is queued or running. */
	boolean isIdle() {
		return !this.draining.get() && this.tasks.isEmpty();
	}

	private void drain() {
		while (true) {
			Runnable task;
			while ((task = this.tasks.poll()) != null) {
				try {
					task.run();
				}
				catch (Throwable failure) {
					this.onFailure.accept(failure);
				}
			}
			this.draining.set(false);
			// A task added after the poll came back empty but before the flag cleared
			// would be stranded: take the lane back if it is still free.
			if (this.tasks.isEmpty() || !this.draining.compareAndSet(false, true)) {
				return;
			}
		}
	}

}
