package io.connectionmanager.core.runtime;

import java.time.Clock;
import java.time.Duration;
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

	private final int maxConnectsInFlight;

	private final Duration outageSummaryInterval;

	private ConnectionRuntime(Builder builder) {
		int threads = builder.threads;
		if (threads < 1) {
			throw new IllegalArgumentException("threads (" + threads + ") must be at least 1");
		}
		if (builder.maxConnectsInFlight < 1) {
			throw new IllegalArgumentException(
					"maxConnectsInFlight (" + builder.maxConnectsInFlight + ") must be at least 1");
		}
		if (builder.outageSummaryInterval.isNegative() || builder.outageSummaryInterval.isZero()) {
			throw new IllegalArgumentException(
					"outageSummaryInterval (" + builder.outageSummaryInterval + ") must be positive");
		}
		this.threads = threads;
		this.clock = builder.clock;
		this.maxConnectsInFlight = builder.maxConnectsInFlight;
		this.outageSummaryInterval = builder.outageSummaryInterval;
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
		return builder().threads(threads).build();
	}

	/** A runtime with settings other than the defaults. */
	public static Builder builder() {
		return new Builder();
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

	/** How many connect attempts (TCP, TLS and upgrade) may be under way at once. */
	public int maxConnectsInFlight() {
		return this.maxConnectsInFlight;
	}

	/** How often a summary of connections that are down is logged during an outage. */
	public Duration outageSummaryInterval() {
		return this.outageSummaryInterval;
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

	/** Settings of a {@link ConnectionRuntime}; every one has a default. */
	public static final class Builder {

		/** Default for {@link #maxConnectsInFlight(int)}. */
		public static final int DEFAULT_MAX_CONNECTS_IN_FLIGHT = 64;

		/** Default for {@link #outageSummaryInterval(Duration)}. */
		public static final Duration DEFAULT_OUTAGE_SUMMARY_INTERVAL = Duration.ofMinutes(1);

		private int threads = Runtime.getRuntime().availableProcessors();

		private int maxConnectsInFlight = DEFAULT_MAX_CONNECTS_IN_FLIGHT;

		private Duration outageSummaryInterval = DEFAULT_OUTAGE_SUMMARY_INTERVAL;

		private Clock clock = Clock.systemUTC();

		private Builder() {
		}

		/** Event-loop threads (and the handler pool's core size); default: the cores. */
		public Builder threads(int threads) {
			this.threads = threads;
			return this;
		}

		/**
		 * Connect attempts under way at once across every connection of this runtime
		 * (default 64): thousands of connections started together queue instead of timing
		 * each other out.
		 */
		public Builder maxConnectsInFlight(int maxConnectsInFlight) {
			this.maxConnectsInFlight = maxConnectsInFlight;
			return this;
		}

		/**
		 * How often connections that are down are summarised in the log (default 1 min).
		 */
		public Builder outageSummaryInterval(Duration outageSummaryInterval) {
			this.outageSummaryInterval = outageSummaryInterval;
			return this;
		}

		public ConnectionRuntime build() {
			return new ConnectionRuntime(this);
		}

	}

}
