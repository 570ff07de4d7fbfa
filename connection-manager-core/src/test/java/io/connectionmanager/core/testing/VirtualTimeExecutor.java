package io.connectionmanager.core.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.PriorityQueue;

import io.connectionmanager.core.runtime.Cancellable;
import io.connectionmanager.core.runtime.ConnectionExecutor;

/**
 * A {@link ConnectionExecutor} on virtual time, for deterministic tests: tasks run only
 * when the test calls {@link #runPending()} or {@link #advance(Duration)}, and time moves
 * only when the test moves it. The wall clock (also used by Resilience4j) moves in step
 * with {@link #nanoTime()}.
 */
public final class VirtualTimeExecutor implements ConnectionExecutor {

	private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

	private final ArrayDeque<Runnable> ready = new ArrayDeque<>();

	private final PriorityQueue<Timer> timers = new PriorityQueue<>();

	private long nanos;

	private long sequence;

	private boolean running;

	private final Clock clock = new Clock() {

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return EPOCH.plusNanos(VirtualTimeExecutor.this.nanos);
		}

	};

	@Override
	public void execute(Runnable task) {
		this.ready.add(task);
	}

	@Override
	public Cancellable schedule(Runnable task, Duration delay) {
		Timer timer = new Timer(this.nanos + Math.max(0, delay.toNanos()), this.sequence++, task);
		this.timers.add(timer);
		return () -> timer.cancelled = true;
	}

	@Override
	public boolean inExecutor() {
		return this.running;
	}

	@Override
	public long nanoTime() {
		return this.nanos;
	}

	@Override
	public Clock clock() {
		return this.clock;
	}

	/**
	 * Runs every task that is ready now (including tasks they submit), without moving
	 * time.
	 */
	public void runPending() {
		Runnable task;
		while ((task = this.ready.poll()) != null) {
			runTask(task);
		}
	}

	/**
	 * Moves time forward, running timers in order at their due time, and ready tasks
	 * between them.
	 */
	public void advance(Duration duration) {
		long target = this.nanos + duration.toNanos();
		runPending();
		while (true) {
			Timer next = this.timers.peek();
			if (next == null || next.dueNanos > target) {
				break;
			}
			this.timers.poll();
			if (next.cancelled) {
				continue;
			}
			this.nanos = Math.max(this.nanos, next.dueNanos);
			runTask(next.task);
			runPending();
		}
		this.nanos = target;
	}

	/** How many live (not cancelled) timers are scheduled. */
	public long scheduledTimers() {
		return this.timers.stream().filter((timer) -> !timer.cancelled).count();
	}

	private void runTask(Runnable task) {
		boolean wasRunning = this.running;
		this.running = true;
		try {
			task.run();
		}
		finally {
			this.running = wasRunning;
		}
	}

	private static final class Timer implements Comparable<Timer> {

		final long dueNanos;

		final long order;

		final Runnable task;

		boolean cancelled;

		Timer(long dueNanos, long order, Runnable task) {
			this.dueNanos = dueNanos;
			this.order = order;
			this.task = task;
		}

		@Override
		public int compareTo(Timer other) {
			int byTime = Long.compare(this.dueNanos, other.dueNanos);
			return (byTime != 0) ? byTime : Long.compare(this.order, other.order);
		}

	}

}
