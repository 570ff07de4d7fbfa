package io.connectionmanager.core.runtime;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.connectionmanager.core.testing.Measurements;
import io.netty.util.concurrent.DefaultThreadFactory;
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
	void aBurstOfShortTasksDoesNotGrowThePoolButAStallDoes() throws Exception {
		AtomicLong now = new AtomicLong();
		ElasticHandlerPool pool = new ElasticHandlerPool(2, 8, Duration.ofSeconds(1), Duration.ZERO,
				new DefaultThreadFactory("pool-test", true), null, now::get);
		try {
			// a burst: 1,000 short tasks at once on 2 threads, none waiting as long as
			// STALL
			CountDownLatch burst = new CountDownLatch(1000);
			for (int i = 0; i < 1000; i++) {
				pool.execute(burst::countDown);
			}
			now.addAndGet(ElasticHandlerPool.STALL.toNanos() / 2);
			pool.check();
			assertThat(burst.await(5, TimeUnit.SECONDS)).isTrue();
			assertThat(pool.getLargestPoolSize()).isEqualTo(2);
			// a stall: both threads blocked, three tasks waiting longer than STALL
			AtomicInteger started = new AtomicInteger();
			for (int i = 0; i < 5; i++) {
				blockOn(pool, started);
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> started.get() == 2);
			pool.check();
			assertThat(pool.getCorePoolSize()).isEqualTo(2);
			// one thread per waiting task, at most one per stuck thread, each check
			now.addAndGet(ElasticHandlerPool.STALL.toNanos() + 1);
			pool.check();
			assertThat(pool.getCorePoolSize()).isEqualTo(4);
			await().atMost(Duration.ofSeconds(5)).until(() -> started.get() == 4);
			pool.check();
			assertThat(pool.getCorePoolSize()).isEqualTo(5);
			await().atMost(Duration.ofSeconds(5)).until(() -> started.get() == 5);
			pool.check();
			assertThat(pool.getCorePoolSize()).as("nothing waits any more").isEqualTo(5);
			// quiet for longer than the keep-alive: one thread less per check, down to 2
			this.release.countDown();
			await().atMost(Duration.ofSeconds(5)).until(() -> pool.getActiveCount() == 0);
			now.addAndGet(Duration.ofSeconds(2).toNanos());
			for (int i = 0; i < 3; i++) {
				pool.check();
			}
			assertThat(pool.getCorePoolSize()).isEqualTo(2);
			await().atMost(Duration.ofSeconds(5)).until(() -> pool.getPoolSize() == 2);
		}
		finally {
			pool.shutdownNow();
		}
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
		await().atMost(Duration.ofSeconds(5)).until(() -> pool.getCompletedTaskCount() == 6);
		assertThat(started.get()).isEqualTo(6);
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
