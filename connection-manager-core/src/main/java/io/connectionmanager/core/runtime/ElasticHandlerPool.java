package io.connectionmanager.core.runtime;

import java.time.Duration;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The shared handler pool: {@code core} threads always, up to {@code max} while every
 * thread is busy (a blocked handler holds its thread, and must not starve the other
 * connections), back to {@code core} once the extra threads have been idle for
 * {@code keepAlive}.
 * <p>
 * A plain {@link ThreadPoolExecutor} grows only when its queue refuses a task, so an
 * unbounded queue never grows the pool and a bounded one rejects work. Here the queue
 * accepts a task only by handing it straight to an idle thread
 * ({@link LinkedTransferQueue#tryTransfer}); otherwise the executor starts a new thread,
 * and only at {@code max} does the rejection handler queue the task (the pattern of
 * Tomcat's {@code TaskQueue}).
 */
final class ElasticHandlerPool {

	private ElasticHandlerPool() {
	}

	static ThreadPoolExecutor create(int core, int max, Duration keepAlive, ThreadFactory threadFactory) {
		HandOffQueue queue = new HandOffQueue();
		return new ThreadPoolExecutor(core, max, keepAlive.toNanos(), TimeUnit.NANOSECONDS, queue, threadFactory,
				(task, pool) -> {
					if (pool.isShutdown()) {
						throw new RejectedExecutionException("The handler pool is shut down");
					}
					queue.enqueue(task);
				});
	}

	/** Takes a task only if a thread is already waiting for one. */
	private static final class HandOffQueue extends LinkedTransferQueue<Runnable> {

		@Override
		public boolean offer(Runnable task) {
			return tryTransfer(task);
		}

		/** Every thread is busy and the pool is at its maximum: wait in line. */
		void enqueue(Runnable task) {
			super.offer(task);
		}

	}

}
