package io.connectionmanager.test.net;

import io.netty.util.concurrent.FastThreadLocalThread;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Remembers every thread it creates so that {@code close()} can join them. Netty
 * completes its termination future a moment before the thread really exits; joining
 * closes that gap, so a test that counts live threads right after {@code close()} sees an
 * exact number.
 */
final class TrackingThreadFactory implements ThreadFactory {

	private static final AtomicInteger INSTANCES = new AtomicInteger();

	private final String prefix;

	private final AtomicInteger counter = new AtomicInteger();

	private final List<Thread> threads = new CopyOnWriteArrayList<>();

	TrackingThreadFactory(String prefix) {
		this.prefix = prefix + "-" + INSTANCES.incrementAndGet() + "-";
	}

	@Override
	public Thread newThread(Runnable task) {
		Thread thread = new FastThreadLocalThread(task, prefix + counter.incrementAndGet());
		thread.setDaemon(true);
		threads.add(thread);
		return thread;
	}

	boolean owns(Thread thread) {
		return threads.contains(thread);
	}

	void joinAll(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		for (Thread thread : threads) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				break;
			}
			try {
				thread.join(Math.max(1, left / 1_000_000));
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

}
