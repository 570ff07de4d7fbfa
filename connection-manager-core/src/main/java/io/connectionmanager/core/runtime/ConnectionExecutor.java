package io.connectionmanager.core.runtime;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * One connection's serial event loop, timer and clock. Tasks run one at a time in
 * submission order, so the engine needs no locks; many connections share the same
 * threads. Tests substitute a virtual-time implementation, which is why time is read here
 * and never from {@code System} directly.
 */
public interface ConnectionExecutor extends Executor {

	/** Runs {@code task} on this executor after {@code delay}. */
	Cancellable schedule(Runnable task, Duration delay);

	/** Whether the calling thread is currently running this executor's tasks. */
	boolean inExecutor();

	/** Monotonic time for measuring intervals. */
	long nanoTime();

	/** Wall-clock time for timestamps, and for Resilience4j's breaker timing. */
	Clock clock();

	/** Runs {@code task} now if already on this executor, otherwise submits it. */
	default void runOrExecute(Runnable task) {
		if (inExecutor()) {
			task.run();
		}
		else {
			execute(task);
		}
	}

}
