package io.connectionmanager.core.runtime;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoop;

/**
 * A {@link ConnectionExecutor} backed by one Netty {@link EventLoop}. The connection's
 * channel is registered on the same loop, so transport callbacks, timers and state
 * changes all run on one thread with no hand-offs.
 */
final class EventLoopConnectionExecutor implements ConnectionExecutor {

	private final EventLoop eventLoop;

	private final Clock clock;

	EventLoopConnectionExecutor(EventLoop eventLoop, Clock clock) {
		this.eventLoop = eventLoop;
		this.clock = clock;
	}

	EventLoop eventLoop() {
		return this.eventLoop;
	}

	@Override
	public void execute(Runnable task) {
		this.eventLoop.execute(task);
	}

	@Override
	public Cancellable schedule(Runnable task, Duration delay) {
		ScheduledFuture<?> future = this.eventLoop.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
		return () -> future.cancel(false);
	}

	@Override
	public boolean inExecutor() {
		return this.eventLoop.inEventLoop();
	}

	@Override
	public long nanoTime() {
		return System.nanoTime();
	}

	@Override
	public Clock clock() {
		return this.clock;
	}

}
