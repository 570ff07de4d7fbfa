package io.connectionmanager.core.runtime;

import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The threads every connection shares: one Netty event-loop group and one pool for
 * application handlers, each sized to the cores by default. Each connection is pinned to
 * one loop of the group, which serves as its serial executor, its timer wheel and its I/O
 * thread. The thread count therefore does not depend on the number of connections, and no
 * thread ever sleeps through a backoff (delays are scheduled tasks).
 */
public final class ConnectionRuntime implements AutoCloseable {

	private final EventLoopGroup group;

	private final Clock clock;

	private final int threads;

	private final ExecutorService handlerExecutor;

	private ConnectionRuntime(int threads, Clock clock) {
		if (threads < 1) {
			throw new IllegalArgumentException("threads (" + threads + ") must be at least 1");
		}
		this.threads = threads;
		this.clock = clock;
		this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("connection-manager", true),
				NioIoHandler.newFactory());
		this.handlerExecutor = Executors.newFixedThreadPool(threads,
				new DefaultThreadFactory("connection-manager-handler", true));
	}

	/** A runtime with one event loop per available processor. */
	public static ConnectionRuntime create() {
		return create(Runtime.getRuntime().availableProcessors());
	}

	public static ConnectionRuntime create(int threads) {
		return new ConnectionRuntime(threads, Clock.systemUTC());
	}

	/**
	 * A serial executor for a new connection, on the next loop of the group (round
	 * robin).
	 */
	public ConnectionExecutor newExecutor() {
		return new EventLoopConnectionExecutor(this.group.next(), this.clock);
	}

	/**
	 * Where application handlers run: a fixed pool shared by all connections, so that a
	 * slow handler never stalls the I/O loops. Each connection's deliveries stay serial
	 * and in order.
	 */
	public Executor handlerExecutor() {
		return this.handlerExecutor;
	}

	/**
	 * The Netty group, for transports that register channels (they should use their
	 * executor's loop).
	 */
	public EventLoopGroup ioGroup() {
		return this.group;
	}

	public int threads() {
		return this.threads;
	}

	public Clock clock() {
		return this.clock;
	}

	/**
	 * The event loop behind an executor made by a runtime, or {@code null} for any other
	 * executor.
	 */
	public static io.netty.channel.EventLoop eventLoopOf(ConnectionExecutor executor) {
		return (executor instanceof EventLoopConnectionExecutor loop) ? loop.eventLoop() : null;
	}

	@Override
	public void close() {
		this.group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
		this.handlerExecutor.shutdown();
		try {
			if (!this.handlerExecutor.awaitTermination(5, TimeUnit.SECONDS)) {
				this.handlerExecutor.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
