package io.connectionmanager.core.runtime;

import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.test.server.TestWebSocketServer;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The spins that keep the hand-offs between an event loop and the handler pool quick: a
 * task offered while a worker spins goes straight to it, nothing is lost or run twice
 * when offers race the spinner's coming and going, and spinning threads still stop.
 */
class SpinningHandOffTests {

	@Test
	void aTaskOfferedWhileAWorkerSpinsGoesStraightToIt() throws Exception {
		SpinningHandOffQueue queue = new SpinningHandOffQueue(Duration.ofMinutes(1).toNanos());
		Runnable task = () -> {
		};
		assertThat(queue.handToSpinner(task)).as("no worker waits yet").isFalse();
		CompletableFuture<Runnable> taken = CompletableFuture.supplyAsync(() -> {
			try {
				return queue.take();
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
		await().until(queue::hasSpinner);
		assertThat(queue.handToSpinner(task)).isTrue();
		assertThat(taken.get(10, TimeUnit.SECONDS)).isSameAs(task);
		assertThat(queue).isEmpty();
	}

	@Test
	void withoutSpinEveryTaskIsQueuedAsUsual() throws Exception {
		SpinningHandOffQueue queue = new SpinningHandOffQueue(0);
		CompletableFuture<Runnable> taken = CompletableFuture.supplyAsync(() -> {
			try {
				return queue.take();
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
		Runnable task = () -> {
		};
		assertThat(queue.hasSpinner()).isFalse();
		assertThat(queue.handToSpinner(task)).isFalse();
		queue.offer(task);
		assertThat(taken.get(10, TimeUnit.SECONDS)).isSameAs(task);
	}

	@Test
	void everyTaskRunsExactlyOnceWhileOffersRaceTheSpinner() throws Exception {
		// a spin short enough that workers keep arriving and leaving while four threads
		// offer tasks in bursts
		ElasticHandlerPool pool = new ElasticHandlerPool(2, 2, Duration.ofSeconds(60), Duration.ofNanos(20_000),
				new DefaultThreadFactory("spin-test", true), null, System::nanoTime);
		int producers = 4;
		int perProducer = 50_000;
		BitSet ran = new BitSet(producers * perProducer);
		int[] duplicates = new int[1];
		CountDownLatch done = new CountDownLatch(producers * perProducer);
		Thread[] threads = new Thread[producers];
		for (int p = 0; p < producers; p++) {
			int first = p * perProducer;
			threads[p] = new Thread(() -> {
				for (int i = 0; i < perProducer; i++) {
					int id = first + i;
					pool.execute(() -> {
						synchronized (ran) {
							if (ran.get(id)) {
								duplicates[0]++;
							}
							ran.set(id);
						}
						done.countDown();
					});
					if (i % 64 == 0) {
						Thread.yield(); // let the workers run dry now and then
					}
				}
			});
			threads[p].start();
		}
		for (Thread thread : threads) {
			thread.join();
		}
		assertThat(done.await(60, TimeUnit.SECONDS)).as("every task ran").isTrue();
		synchronized (ran) {
			assertThat(ran.cardinality()).isEqualTo(producers * perProducer);
			assertThat(duplicates[0]).isZero();
		}
		pool.shutdown();
		assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void aPoolWithALongSpinStillShutsDownAtOnce() throws Exception {
		ElasticHandlerPool pool = new ElasticHandlerPool(1, 1, Duration.ofSeconds(60), Duration.ofMinutes(10),
				new DefaultThreadFactory("spin-test", true), null, System::nanoTime);
		CountDownLatch ran = new CountDownLatch(1);
		pool.execute(ran::countDown);
		assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
		await().until(((SpinningHandOffQueue) pool.getQueue())::hasSpinner);
		pool.shutdown();
		assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).as("the spinner left when interrupted").isTrue();
	}

	@Test
	void connectionsWorkWithSpinningLoopsAndHandlers() throws Exception {
		try (TestWebSocketServer server = TestWebSocketServer.start();
				ConnectionRuntime runtime = ConnectionRuntime.builder()
					.threads(1)
					.handlerSpin(Duration.ofMillis(1))
					.loopSpin(Duration.ofMillis(1))
					.build()) {
			server.onText(null); // echo
			CountDownLatch echoes = new CountDownLatch(1000);
			ConnectionHandler handler = new ConnectionHandler() {
				@Override
				public void onMessage(Message message) {
					echoes.countDown();
				}
			};
			ManagedConnection connection = ManagedConnection
				.builder(ConnectionSettings.builder("spin").url(server.uri("/spin").toString()).build())
				.runtime(runtime)
				.handler(handler)
				.build();
			connection.connect();
			await().until(() -> connection.state() == ConnectionState.CONNECTED);
			for (int i = 0; i < 1000; i++) {
				connection.send("m" + i);
			}
			assertThat(echoes.await(30, TimeUnit.SECONDS)).isTrue();
			connection.close();
		}
	}

	@Test
	void spinningStopsWhileItFindsNothingAndResumesOnceAProbeFindsWork() {
		SpinPolicy policy = new SpinPolicy();
		for (int gap = 0; gap < SpinPolicy.MISSES_BEFORE_PROBING; gap++) {
			assertThat(policy.shouldSpin()).isTrue();
			policy.spun(false);
		}
		int spun = 0;
		for (int gap = 0; gap < 10 * SpinPolicy.PROBE_EVERY; gap++) {
			if (policy.shouldSpin()) {
				spun++;
				policy.spun(false);
			}
		}
		assertThat(spun).as("only probes, one gap in " + SpinPolicy.PROBE_EVERY).isEqualTo(10);
		while (!policy.shouldSpin()) {
			// skip to the next probe
		}
		policy.spun(true);
		assertThat(policy.shouldSpin()).as("a probe found work: spin through every gap again").isTrue();
	}

	@Test
	void negativeSpinsAreRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ConnectionRuntime.builder().handlerSpin(Duration.ofNanos(-1)).build())
			.withMessageContaining("handlerSpin");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ConnectionRuntime.builder().loopSpin(Duration.ofNanos(-1)).build())
			.withMessageContaining("loopSpin");
	}

}
