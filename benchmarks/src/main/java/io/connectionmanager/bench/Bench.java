package io.connectionmanager.bench;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.runtime.ConnectionRuntime;

/** Small helpers shared by the scenarios: settings, waiting, JVM measurements. */
final class Bench {

	private Bench() {
	}

	/**
	 * Settings for a benchmark connection: the library's defaults, except the circuit
	 * breaker, which is off (with its defaults it would open after a few refused attempts
	 * and hold reconnects for 60 s, which is not what the storm and recovery scenarios
	 * measure).
	 */
	/**
	 * A runtime with {@code threads} loops and the library's defaults, except spins set
	 * with {@code -Dbench.handlerSpinMicros} or {@code -Dbench.loopSpinMicros} (to
	 * measure the options against each other).
	 */
	static ConnectionRuntime runtime(int threads) {
		ConnectionRuntime.Builder builder = ConnectionRuntime.builder().threads(threads);
		Long handlerSpin = Long.getLong("bench.handlerSpinMicros");
		if (handlerSpin != null) {
			builder.handlerSpin(Duration.ofNanos(handlerSpin * 1000));
		}
		Long loopSpin = Long.getLong("bench.loopSpinMicros");
		if (loopSpin != null) {
			builder.loopSpin(Duration.ofNanos(loopSpin * 1000));
		}
		return builder.build();
	}

	/** The spins {@link #runtime(int)} uses, for the results. */
	static String runtimeDescription() {
		return "handler spin " + System.getProperty("bench.handlerSpinMicros", "default") + " us, loop spin "
				+ System.getProperty("bench.loopSpinMicros", "default") + " us";
	}

	static ConnectionSettings.Builder settings(String name, URI url) {
		return ConnectionSettings.builder(name).url(url.toString()).circuitBreaker(CircuitBreakerSettings.disabled());
	}

	/**
	 * Polls every 5 ms until the condition holds or the timeout passes; returns whether
	 * it held.
	 */
	static boolean await(BooleanSupplier condition, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline > 0) {
				return false;
			}
			sleep(5);
		}
		return true;
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	/** Sleeps until {@code System.nanoTime()} reaches {@code deadlineNanos}. */
	static void sleepUntil(long deadlineNanos) {
		long remaining;
		while ((remaining = deadlineNanos - System.nanoTime()) > 0) {
			sleep(Math.max(1, Math.min(remaining / 1_000_000, 50)));
		}
	}

	static double millisSince(long startNanos, long endNanos) {
		return (endNanos - startNanos) / 1e6;
	}

	/** Heap in use after full collections (System.gc() until the figure settles). */
	static long heapAfterGc() {
		long previous = Long.MAX_VALUE;
		for (int i = 0; i < 5; i++) {
			System.gc();
			sleep(200);
			long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
			if (Math.abs(previous - used) < 64 * 1024) {
				return used;
			}
			previous = used;
		}
		return previous;
	}

	/**
	 * Bytes of the JDK's "direct" buffer pool (what ByteBuffer.allocateDirect and Netty's
	 * buffers use here).
	 */
	static long directBytes() {
		for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
			if (pool.getName().equals("direct")) {
				return pool.getMemoryUsed();
			}
		}
		return -1;
	}

	/** Open file descriptors of this process, or -1 where the JDK cannot tell. */
	static long openFileDescriptors() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
			return os.getOpenFileDescriptorCount();
		}
		return -1;
	}

	/** This process's file-descriptor limit, or -1 where the JDK cannot tell. */
	static long maxFileDescriptors() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
			return os.getMaxFileDescriptorCount();
		}
		return -1;
	}

	static int liveThreads() {
		return ManagementFactory.getThreadMXBean().getThreadCount();
	}

	/**
	 * Live threads, not counting the in-process test server's own (their names start with
	 * {@code cm-test}).
	 */
	static int liveClientThreads() {
		return (int) Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> !thread.getName().startsWith("cm-test"))
			.count();
	}

	/**
	 * Names of live threads, with trailing digits folded so that pools show as one entry
	 * with a count.
	 */
	static TreeSet<String> threadNames() {
		TreeSet<String> names = new TreeSet<>();
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			names.add(thread.getName());
		}
		return names;
	}

	private static final java.util.concurrent.atomic.AtomicInteger RESTART_RETRIES = new java.util.concurrent.atomic.AtomicInteger();

	/**
	 * {@code server.restart()}, retried while the port is still taken. Older test-support
	 * versions bound an ephemeral port, which a client retrying towards the stopped
	 * server could be given as its own local port (and connect to itself), and their
	 * {@code kill()} could return before a just-accepted connection released the port.
	 * Current ones bind below the ephemeral range; the retry stays as a guard and is
	 * counted in the results.
	 */
	static void restart(io.connectionmanager.test.server.TestWebSocketServer server) {
		for (int tries = 0;; tries++) {
			try {
				server.restart();
				return;
			}
			catch (IllegalStateException ex) {
				if (tries >= 200 || !(ex.getCause() instanceof java.net.BindException)) {
					throw ex;
				}
				RESTART_RETRIES.incrementAndGet();
				sleep(5);
			}
		}
	}

	/** How often {@link #restart} had to retry, for the results. */
	static int restartRetries() {
		return RESTART_RETRIES.get();
	}

	/** Progress on stderr, so that a run can be followed; the results go to files. */
	static void log(String message) {
		System.err.printf("[bench %s] %s%n", java.time.LocalTime.now().withNano(0), message);
	}

	static Duration ms(long millis) {
		return Duration.ofMillis(millis);
	}

}
