package io.connectionmanager.core.runtime;

import java.time.Duration;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The shared handler pool: {@code core} threads always, up to {@code max} while the pool
 * is stalled (a blocked handler holds its thread, and must not starve the other
 * connections), back to {@code core} once the extra threads have been idle for
 * {@code keepAlive}.
 * <p>
 * A plain {@link ThreadPoolExecutor} grows only when its queue refuses a task, so an
 * unbounded queue never grows the pool and a bounded one rejects work. Here the queue
 * hands a task straight to an idle thread ({@link LinkedTransferQueue#tryTransfer}),
 * queues it while the threads make progress, and refuses it only when the queue has
 * waited {@link #STALL} without any thread taking a task: then the executor starts a new
 * thread, and only at {@code max} does the rejection handler queue the task (the pattern
 * of Tomcat's {@code TaskQueue}). A burst of work that the threads drain in time
 * therefore waits in line instead of starting threads; a watchdog on the
 * {@code scheduler} grows the pool when a stall happens with no new task submitted.
 */
final class ElasticHandlerPool {

	/**
	 * How long queued work may see no thread take a task before the pool grows: longer
	 * than a young-generation GC pause, short against a blocked handler.
	 */
	static final Duration STALL = Duration.ofMillis(50);

	private static final Runnable GROW = () -> {
	};

	private ElasticHandlerPool() {
	}

	static ThreadPoolExecutor create(int core, int max, Duration keepAlive, ThreadFactory threadFactory,
			ScheduledExecutorService scheduler) {
		HandOffQueue queue = new HandOffQueue(STALL.toNanos());
		ThreadPoolExecutor pool = new ThreadPoolExecutor(core, max, keepAlive.toNanos(), TimeUnit.NANOSECONDS, queue,
				threadFactory, (task, executor) -> {
					if (executor.isShutdown()) {
						throw new RejectedExecutionException("The handler pool is shut down");
					}
					queue.enqueue(task);
				});
		queue.watch(pool, scheduler);
		return pool;
	}

	/**
	 * Takes a task if a thread is waiting for one, or while the threads make progress.
	 */
	private static final class HandOffQueue extends LinkedTransferQueue<Runnable> {

		private final long stallNanos;

		private final AtomicBoolean watching = new AtomicBoolean();

		/** When a thread last took a task, or the queue last became non-empty. */
		private volatile long progress = System.nanoTime();

		private ThreadPoolExecutor pool;

		private ScheduledExecutorService scheduler;

		HandOffQueue(long stallNanos) {
			this.stallNanos = stallNanos;
		}

		void watch(ThreadPoolExecutor pool, ScheduledExecutorService scheduler) {
			this.pool = pool;
			this.scheduler = scheduler;
		}

		@Override
		public boolean offer(Runnable task) {
			if (tryTransfer(task)) {
				return true;
			}
			if (stalled()) {
				return false;
			}
			enqueue(task);
			return true;
		}

		/** Waits in line: the threads are busy but not stalled, or at their maximum. */
		void enqueue(Runnable task) {
			if (isEmpty()) {
				this.progress = System.nanoTime();
			}
			super.offer(task);
			armWatchdog();
		}

		@Override
		public Runnable take() throws InterruptedException {
			return taken(super.take());
		}

		@Override
		public Runnable poll(long timeout, TimeUnit unit) throws InterruptedException {
			return taken(super.poll(timeout, unit));
		}

		private Runnable taken(Runnable task) {
			if (task != null) {
				this.progress = System.nanoTime();
			}
			return task;
		}

		private boolean stalled() {
			return !isEmpty() && System.nanoTime() - this.progress > this.stallNanos;
		}

		private void armWatchdog() {
			if (this.scheduler != null && this.watching.compareAndSet(false, true)) {
				try {
					this.scheduler.schedule(this::checkStall, this.stallNanos, TimeUnit.NANOSECONDS);
				}
				catch (RejectedExecutionException ex) {
					// the runtime is closing
					this.watching.set(false);
				}
			}
		}

		/** A stall with no new task submitted: one more thread per period. */
		private void checkStall() {
			this.watching.set(false);
			if (isEmpty() || this.pool.isShutdown() || this.pool.getPoolSize() >= this.pool.getMaximumPoolSize()) {
				return;
			}
			if (stalled()) {
				try {
					this.pool.execute(GROW);
				}
				catch (RejectedExecutionException ex) {
					return;
				}
			}
			armWatchdog();
		}

	}

}
