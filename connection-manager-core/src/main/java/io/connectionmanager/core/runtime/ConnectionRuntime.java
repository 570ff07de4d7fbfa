package io.connectionmanager.core.runtime;

import java.net.InetSocketAddress;
import java.nio.channels.spi.SelectorProvider;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.resolver.AddressResolver;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The threads every connection shares: one Netty event-loop group sized to the cores, one
 * thread for non-blocking DNS lookups, and one pool for application handlers. Each
 * connection is pinned to one loop of the group, which serves as its serial executor, its
 * timer wheel and its I/O thread. The event-loop count therefore does not depend on the
 * number of connections, and no thread ever sleeps through a backoff (delays are
 * scheduled tasks). The handler pool keeps {@code threads} threads and grows, up to
 * {@code maxHandlerThreads}, only while handlers block.
 */
// About 300 lines on purpose: one lifecycle (the shared threads, created and closed
// together) and its public Builder; splitting it would spread that lifecycle apart.
public final class ConnectionRuntime implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ConnectionRuntime.class);

	private static final String HANDLER_THREADS = "connection-manager-handler";

	private final EventLoopGroup group;

	private final DnsResolution dns;

	private final Clock clock;

	private final int threads;

	private final ExecutorService handlerExecutor;

	private final int maxConnectsInFlight;

	private final Duration outageSummaryInterval;

	private final Duration handlerSpin;

	private final Duration loopSpin;

	private ConnectionRuntime(Builder builder) {
		int threads = builder.threads;
		if (threads < 1) {
			throw new IllegalArgumentException("threads (" + threads + ") must be at least 1");
		}
		if (builder.maxConnectsInFlight < 1) {
			throw new IllegalArgumentException(
					"maxConnectsInFlight (" + builder.maxConnectsInFlight + ") must be at least 1");
		}
		requirePositive("outageSummaryInterval", builder.outageSummaryInterval);
		requirePositive("handlerKeepAlive", builder.handlerKeepAlive);
		if (builder.dnsQueryTimeout != null) {
			requirePositive("dnsQueryTimeout", builder.dnsQueryTimeout);
		}
		if (builder.maxHandlerThreads < 1) {
			throw new IllegalArgumentException(
					"maxHandlerThreads (" + builder.maxHandlerThreads + ") must be at least 1");
		}
		this.threads = threads;
		this.clock = builder.clock;
		this.maxConnectsInFlight = builder.maxConnectsInFlight;
		this.outageSummaryInterval = builder.outageSummaryInterval;
		this.handlerSpin = builder.handlerSpin;
		this.loopSpin = builder.loopSpin;
		requireNotNegative("handlerSpin", builder.handlerSpin);
		requireNotNegative("loopSpin", builder.loopSpin);
		this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("connection-manager", true),
				ioHandlerFactory(builder.loopSpin));
		this.dns = new DnsResolution(builder.nameServers, builder.dnsQueryTimeout);
		this.handlerExecutor = handlerExecutor(builder, this.group.next());
	}

	private static void requirePositive(String name, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(name + " (" + value + ") must be positive");
		}
	}

	private static void requireNotNegative(String name, Duration value) {
		if (value == null || value.isNegative()) {
			throw new IllegalArgumentException(name + " (" + value + ") must be zero or positive");
		}
	}

	private static IoHandlerFactory ioHandlerFactory(Duration loopSpin) {
		if (loopSpin.isZero()) {
			return NioIoHandler.newFactory();
		}
		long spinNanos = loopSpin.toNanos();
		return NioIoHandler.newFactory(SelectorProvider.provider(), () -> new SpinningSelectStrategy(spinNanos));
	}

	private static ExecutorService handlerExecutor(Builder builder, ScheduledExecutorService watchdogLoop) {
		if (builder.virtualThreads) {
			ExecutorService virtual = VirtualThreads.newPerTaskExecutor(HANDLER_THREADS + "-");
			if (virtual != null) {
				return virtual;
			}
			logger.warn("Virtual threads need Java 21 or later (this is Java " + Runtime.version().feature()
					+ "); handlers run on the elastic handler pool instead");
		}
		return ElasticHandlerPool.create(builder.threads, Math.max(builder.threads, builder.maxHandlerThreads),
				builder.handlerKeepAlive, builder.handlerSpin, new DefaultThreadFactory(HANDLER_THREADS, true),
				watchdogLoop);
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
	 * Where application handlers run, shared by all connections, so that a slow handler
	 * never stalls the I/O loops: {@code threads} threads, more (up to
	 * {@code maxHandlerThreads}) while handlers block, or one virtual thread per task
	 * with {@code virtualThreads(true)} on Java 21+. Each connection's deliveries stay
	 * serial and in order.
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

	/**
	 * Netty's DNS resolver, for transports that open their own channels: it never blocks
	 * (Netty's default resolver does) and runs on a thread of its own, so that lookups
	 * and slow name servers cost the I/O loops nothing. Callable from any thread; its
	 * futures complete on the DNS thread. Closed with the runtime.
	 */
	public AddressResolver<InetSocketAddress> addressResolver() {
		return this.dns.resolver();
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

	/** How long an idle handler thread spins before it parks. */
	public Duration handlerSpin() {
		return this.handlerSpin;
	}

	/** How long an idle event loop keeps polling before it blocks. */
	public Duration loopSpin() {
		return this.loopSpin;
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
		this.dns.close();
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

		/** Default for {@link #maxHandlerThreads(int)}. */
		public static final int DEFAULT_MAX_HANDLER_THREADS = 256;

		/** Default for {@link #handlerKeepAlive(Duration)}. */
		public static final Duration DEFAULT_HANDLER_KEEP_ALIVE = Duration.ofSeconds(60);

		/**
		 * Default for {@link #handlerSpin(Duration)}: longer than a loopback round trip,
		 * short against any timeout (measured in bench/README.md).
		 */
		public static final Duration DEFAULT_HANDLER_SPIN = Duration.ofNanos(200_000);

		/**
		 * Default for {@link #loopSpin(Duration)}: off, as a spinning loop competes with
		 * the threads it waits for on a machine with few cores.
		 */
		public static final Duration DEFAULT_LOOP_SPIN = Duration.ZERO;

		private int threads = Runtime.getRuntime().availableProcessors();

		private int maxConnectsInFlight = DEFAULT_MAX_CONNECTS_IN_FLIGHT;

		private Duration outageSummaryInterval = DEFAULT_OUTAGE_SUMMARY_INTERVAL;

		private int maxHandlerThreads = DEFAULT_MAX_HANDLER_THREADS;

		private Duration handlerKeepAlive = DEFAULT_HANDLER_KEEP_ALIVE;

		private boolean virtualThreads;

		private Duration handlerSpin = DEFAULT_HANDLER_SPIN;

		private Duration loopSpin = DEFAULT_LOOP_SPIN;

		private List<InetSocketAddress> nameServers = List.of();

		private Duration dnsQueryTimeout;

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

		/**
		 * The most threads the handler pool grows to while handlers block (default 256;
		 * never fewer than {@link #threads(int)}). Beyond it, tasks wait for a free
		 * thread.
		 */
		public Builder maxHandlerThreads(int maxHandlerThreads) {
			this.maxHandlerThreads = maxHandlerThreads;
			return this;
		}

		/**
		 * How long a handler thread beyond {@link #threads(int)} may stay idle before it
		 * ends (default 60 s).
		 */
		public Builder handlerKeepAlive(Duration handlerKeepAlive) {
			this.handlerKeepAlive = handlerKeepAlive;
			return this;
		}

		/**
		 * Runs handlers on one virtual thread per task (Java 21+; on older JVMs a warning
		 * is logged and the elastic pool is used). Default {@code false}.
		 */
		public Builder virtualThreads(boolean virtualThreads) {
			this.virtualThreads = virtualThreads;
			return this;
		}

		/**
		 * How long one idle handler thread spins before it parks, so that the next
		 * message is handed over without waking a thread (default 200 µs; zero: park at
		 * once). One thread at most, and only while spins find work: after 8 idle gaps in
		 * a row that outlast it, only every 16th gap is spun through until one finds work
		 * again. See bench/README.md for what it saves and costs.
		 */
		public Builder handlerSpin(Duration handlerSpin) {
			this.handlerSpin = handlerSpin;
			return this;
		}

		/**
		 * How long an event loop keeps polling after it last had work before it blocks,
		 * so that a send from a handler thread is written without waking the loop (zero:
		 * block at once). Costs at most this much CPU time per idle gap, per loop.
		 */
		public Builder loopSpin(Duration loopSpin) {
			this.loopSpin = loopSpin;
			return this;
		}

		/**
		 * The DNS servers to ask, in order (default, or when empty: the system's, from
		 * {@code /etc/resolv.conf}).
		 */
		public Builder nameServers(List<InetSocketAddress> nameServers) {
			this.nameServers = List.copyOf(nameServers);
			return this;
		}

		/**
		 * How long one DNS query may take before the lookup fails, as a retryable
		 * {@code DNS} failure (default: the system's, 5 s unless {@code /etc/resolv.conf}
		 * says otherwise). A lookup may ask more than once (A and AAAA in parallel, then
		 * each search domain), so keep it well below the connect timeout.
		 */
		public Builder dnsQueryTimeout(Duration dnsQueryTimeout) {
			this.dnsQueryTimeout = dnsQueryTimeout;
			return this;
		}

		public ConnectionRuntime build() {
			return new ConnectionRuntime(this);
		}

	}

}
