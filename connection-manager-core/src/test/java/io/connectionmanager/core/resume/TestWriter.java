package io.connectionmanager.core.resume;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A resume writer thread the test controls: it can be blocked on a latch (a slow disk),
 * and {@link #drain()} waits until everything due before the call has run.
 */
final class TestWriter extends ScheduledThreadPoolExecutor {

	static final String THREAD_NAME = "test-resume-writer";

	private final CountDownLatch blocked = new CountDownLatch(1);

	private final CountDownLatch release = new CountDownLatch(1);

	TestWriter() {
		super(1, (task) -> {
			Thread thread = new Thread(task, THREAD_NAME);
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Occupies the writer thread until {@link #release()}; returns once it is occupied.
	 */
	TestWriter block() throws InterruptedException {
		execute(() -> {
			this.blocked.countDown();
			try {
				this.release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		this.blocked.await(10, TimeUnit.SECONDS);
		return this;
	}

	void release() {
		this.release.countDown();
	}

	/** Waits until every task due now (and those it schedules for now) has run. */
	void drain() throws Exception {
		submit(() -> null).get(10, TimeUnit.SECONDS);
		submit(() -> null).get(10, TimeUnit.SECONDS);
	}

}
