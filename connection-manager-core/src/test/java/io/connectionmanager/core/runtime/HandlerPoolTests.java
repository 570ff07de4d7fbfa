package io.connectionmanager.core.runtime;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.connectionmanager.core.testing.Measurements;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shared handler pool: blocked handlers must not starve the others, and the pool
 * grows only when it has to.
 */
class HandlerPoolTests {

	private ConnectionRuntime runtime;

	private final CountDownLatch release = new CountDownLatch(1);

	@AfterEach
	void close() {
		this.release.countDown();
		if (this.runtime != null) {
			this.runtime.close();
		}
	}

	private ThreadPoolExecutor pool(ConnectionRuntime.Builder builder) {
		this.runtime = builder.build();
		return (ThreadPoolExecutor) this.runtime.handlerExecutor();
	}

	private void blockOn(Executor executor, AtomicInteger started) {
		executor.execute(() -> {
			started.incrementAndGet();
			try {
				this.release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
	}

	@Test
	void sixteenBlockedHandlersDoNotStarveShortOnes() throws Exception {
		ThreadPoolExecutor pool = pool(ConnectionRuntime.builder().threads(2));
		AtomicInteger blocked = new AtomicInteger();
		for (int i = 0; i < 16; i++) {
			blockOn(pool, blocked);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> blocked.get() == 16);
		CountDownLatch done = new CountDownLatch(1000);
		long start = System.nanoTime();
		for (int i = 0; i < 1000; i++) {
			pool.execute(done::countDown);
		}
		assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		assertThat(blocked.get()).as("still blocked while the short tasks ran").isEqualTo(16);
		assertThat(pool.getPoolSize()).isBetween(17, ConnectionRuntime.Builder.DEFAULT_MAX_HANDLER_THREADS);
		Measurements.record("HandlerPoolTests.sixteenBlocked",
				Map.of("shortTasks", 1000, "millis", millis, "poolSize", pool.getPoolSize()));
	}

	@Test
	void anIdleThreadIsReusedInsteadOfStartingAnother() throws Exception {
		ThreadPoolExecutor pool = pool(ConnectionRuntime.builder().threads(2));
		LinkedTransferQueue<Runnable> queue = (LinkedTransferQueue<Runnable>) pool.getQueue();
		for (int i = 0; i < 100; i++) {
			if (pool.getPoolSize() == 2) {
				// both threads are waiting for work: the next task must go to one of them
				await().atMost(Duration.ofSeconds(5))
					.pollDelay(Duration.ZERO)
					.pollInterval(Duration.ofMillis(1))
					.until(() -> queue.getWaitingConsumerCount() == 2);
			}
			CompletableFuture.runAsync(() -> {
			}, pool).get(5, TimeUnit.SECONDS);
		}
		assertThat(pool.getLargestPoolSize()).isEqualTo(2);
	}

	@Test
	void aBurstTheThreadsDrainWaitsInLineInsteadOfGrowingThePool() throws Exception {
		ThreadPoolExecutor pool = pool(ConnectionRuntime.builder().threads(2));
		CountDownLatch done = new CountDownLatch(20_000);
		for (int i = 0; i < 20_000; i++) {
			pool.execute(done::countDown);
		}
		assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
		// before threads grew only on a stall, every task finding both threads busy
		// started one; a stall of 50 ms on a loaded machine may still add one or two
		assertThat(pool.getLargestPoolSize()).isLessThanOrEqualTo(4);
		Measurements.record("HandlerPoolTests.burst",
				Map.of("tasks", 20_000, "largestPoolSize", pool.getLargestPoolSize()));
	}

	@Test
	void growsToTheMaximumThenQueuesAndRunsEverything() throws Exception {
		ThreadPoolExecutor pool = pool(ConnectionRuntime.builder().threads(2).maxHandlerThreads(4));
		AtomicInteger started = new AtomicInteger();
		for (int i = 0; i < 6; i++) {
			blockOn(pool, started);
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> started.get() == 4);
		assertThat(pool.getPoolSize()).isEqualTo(4);
		assertThat(pool.getQueue()).hasSize(2);
		this.release.countDown();
		// the completed count includes the watchdog's empty tasks that started threads
		await().atMost(Duration.ofSeconds(5)).until(() -> started.get() == 6 && pool.getQueue().isEmpty());
	}

	@Test
	void extraThreadsEndAfterTheKeepAlive() {
		ThreadPoolExecutor pool = pool(
				ConnectionRuntime.builder().threads(2).maxHandlerThreads(8).handlerKeepAlive(Duration.ofMillis(50)));
		AtomicInteger started = new AtomicInteger();
		for (int i = 0; i < 8; i++) {
			blockOn(pool, started);
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> started.get() == 8);
		assertThat(pool.getPoolSize()).isEqualTo(8);
		this.release.countDown();
		await().atMost(Duration.ofSeconds(10)).until(() -> pool.getPoolSize() == 2);
	}

	@Test
	void virtualThreadsWhereTheJvmHasThem() throws Exception {
		this.runtime = ConnectionRuntime.builder().threads(1).virtualThreads(true).build();
		Thread thread = CompletableFuture.supplyAsync(Thread::currentThread, this.runtime.handlerExecutor())
			.get(5, TimeUnit.SECONDS);
		if (Runtime.version().feature() >= 21) {
			Method isVirtual = Thread.class.getMethod("isVirtual");
			assertThat((boolean) isVirtual.invoke(thread)).isTrue();
			assertThat(thread.getName()).startsWith("connection-manager-handler-");
		}
		else {
			// Java 17: the elastic pool, with a warning
			assertThat(this.runtime.handlerExecutor()).isInstanceOf(ThreadPoolExecutor.class);
			assertThat(thread.getName()).startsWith("connection-manager-handler");
		}
	}

}
