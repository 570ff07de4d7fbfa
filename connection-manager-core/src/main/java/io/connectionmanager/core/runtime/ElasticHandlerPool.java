package io.connectionmanager.core.runtime;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The shared handler pool: {@code core} threads always, more (up to {@code max}) only
 * when work is stalled behind a stuck handler: a task has waited longer than
 * {@link #STALL} while a thread has been running one task for longer than that (a blocked
 * handler holds its thread and must not starve the other connections). Back to
 * {@code core} once nothing has stalled for {@code keepAlive}.
 * <p>
 * Growing only then, rather than whenever every thread happens to be busy, keeps the pool
 * flat under bursts and when the CPU is simply saturated (more threads would not help):
 * thousands of connections connecting or pinging together keep the threads busy with
 * short tasks, which is no reason for a new thread each (the earlier hand-off-or-grow
 * policy went from 12 to 52 threads at 19,000 connections). A watchdog on one of the
 * runtime's event loops looks every {@link #CHECK} and raises or lowers the core size;
 * {@link ThreadPoolExecutor} starts and ends the threads. The queue is a
 * {@link SpinningHandOffQueue}: one idle thread spins briefly before it parks, and a task
 * offered meanwhile goes straight to it, which keeps the hand-off to the handler quick.
 */
final class ElasticHandlerPool extends ThreadPoolExecutor {

	/** How long the oldest task may wait before the pool grows. */
	static final Duration STALL = Duration.ofMillis(10);

	/** How often the watchdog looks. */
	static final Duration CHECK = Duration.ofMillis(5);

	/** At most this many threads are added in one check (one per stalled task). */
	private static final int MAX_GROWTH_PER_CHECK = 16;

	private final int baseCore;

	private final int max;

	private final long keepAliveNanos;

	private final ScheduledFuture<?> watchdog;

	private final LongSupplier nanoTime;

	private final SpinningHandOffQueue queue;

	private long lastStallNanos;

	/** When each busy thread started its current task. */
	private final ConcurrentHashMap<Thread, Long> running = new ConcurrentHashMap<>();

	/**
	 * @param scheduler runs the watchdog every {@link #CHECK}, or {@code null} to call
	 * {@link #check()} by hand (tests)
	 * @param nanoTime the clock tasks are timed with
	 */
	ElasticHandlerPool(int core, int max, Duration keepAlive, Duration spin, ThreadFactory threadFactory,
			ScheduledExecutorService scheduler, LongSupplier nanoTime) {
		super(core, core, keepAlive.toNanos(), TimeUnit.NANOSECONDS, new SpinningHandOffQueue(spin.toNanos()),
				threadFactory);
		this.queue = (SpinningHandOffQueue) getQueue();
		this.baseCore = core;
		this.max = max;
		this.keepAliveNanos = keepAlive.toNanos();
		this.nanoTime = nanoTime;
		this.lastStallNanos = nanoTime.getAsLong();
		this.watchdog = (scheduler != null)
				? scheduler.scheduleAtFixedRate(this::check, CHECK.toNanos(), CHECK.toNanos(), TimeUnit.NANOSECONDS)
				: null;
	}

	static ThreadPoolExecutor create(int core, int max, Duration keepAlive, Duration spin, ThreadFactory threadFactory,
			ScheduledExecutorService scheduler) {
		return new ElasticHandlerPool(core, max, keepAlive, spin, threadFactory, scheduler, System::nanoTime);
	}

	@Override
	public void execute(Runnable task) {
		if (isShutdown()) {
			throw new RejectedExecutionException("The handler pool is shut down");
		}
		Queued queued = new Queued(task, this.nanoTime.getAsLong());
		if (!this.queue.handToSpinner(queued)) {
			super.execute(queued);
		}
	}

	@Override
	protected void beforeExecute(Thread thread, Runnable task) {
		this.running.put(thread, this.nanoTime.getAsLong());
	}

	@Override
	protected void afterExecute(Runnable task, Throwable failure) {
		this.running.remove(Thread.currentThread());
	}

	/** On the watchdog's loop: grows on a stall, shrinks after a quiet keep-alive. */
	void check() {
		long now = this.nanoTime.getAsLong();
		int stalled = Math.min(stalledTasks(now), stuckThreads(now));
		int core = getCorePoolSize();
		if (stalled > 0) {
			this.lastStallNanos = now;
			if (core < this.max) {
				setMaximumPoolSizeAtLeast(Math.min(this.max, core + stalled));
			}
		}
		else if (core > this.baseCore && now - this.lastStallNanos > this.keepAliveNanos) {
			// idle extra threads end once the core size no longer counts them
			setCorePoolSize(core - 1);
			setMaximumPoolSize(Math.max(core - 1, this.baseCore));
		}
	}

	private void setMaximumPoolSizeAtLeast(int size) {
		if (getMaximumPoolSize() < size) {
			setMaximumPoolSize(size);
		}
		setCorePoolSize(size);
	}

	/** How many waiting tasks have waited longer than {@link #STALL} (at most a few). */
	private int stalledTasks(long now) {
		int stalled = 0;
		Iterator<Runnable> waiting = getQueue().iterator();
		while (waiting.hasNext() && stalled < MAX_GROWTH_PER_CHECK) {
			Runnable task = waiting.next();
			if (!(task instanceof Queued queued) || now - queued.queuedAt < STALL.toNanos()) {
				break; // the queue is in arrival order: the rest waited less
			}
			stalled++;
		}
		return stalled;
	}

	/** Threads that have been running one task for longer than {@link #STALL}. */
	private int stuckThreads(long now) {
		int stuck = 0;
		for (long startedAt : this.running.values()) {
			if (now - startedAt > STALL.toNanos()) {
				stuck++;
			}
		}
		return stuck;
	}

	@Override
	protected void terminated() {
		if (this.watchdog != null) {
			this.watchdog.cancel(false);
		}
		super.terminated();
	}

	/** A task and when it was handed to the pool. */
	private record Queued(Runnable task, long queuedAt) implements Runnable {

		@Override
		public void run() {
			this.task.run();
		}

	}

}
