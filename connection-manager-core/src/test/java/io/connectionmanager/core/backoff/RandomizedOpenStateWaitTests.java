package io.connectionmanager.core.backoff;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Breakers with the same settings share one configuration, and so one open-state wait
 * function: each breaker must still read back its own draw.
 */
class RandomizedOpenStateWaitTests {

	@Test
	void equalSettingsOnTheSameClockShareOneConfiguration() {
		Clock clock = Clock.systemUTC();
		CircuitBreakerSettings settings = new CircuitBreakerSettings(true, 50, 5, 10, Duration.ofSeconds(7), 1, 0.5);
		CircuitBreakerSettings equal = new CircuitBreakerSettings(true, 50, 5, 10, Duration.ofSeconds(7), 1, 0.5);
		CircuitBreakerSettings other = new CircuitBreakerSettings(true, 50, 5, 10, Duration.ofSeconds(8), 1, 0.5);
		Clock virtual = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);

		CircuitBreakerConfig config = settings.toConfig(clock);

		assertThat(equal.toConfig(clock)).isSameAs(config);
		assertThat(other.toConfig(clock)).isNotSameAs(config);
		assertThat(settings.toConfig(virtual)).isNotSameAs(config);
		assertThat(settings.toConfig(virtual).getClock()).isSameAs(virtual);
	}

	@Test
	void eachThreadReadsBackItsOwnDraw() throws Exception {
		RandomizedOpenStateWait wait = RandomizedOpenStateWait.of(Duration.ofSeconds(100), 0.5);
		CountDownLatch firstDrew = new CountDownLatch(1);
		CountDownLatch secondDrew = new CountDownLatch(1);
		ExecutorService threads = Executors.newFixedThreadPool(2);
		try {
			// The first thread draws, the second draws after it, then the first reads:
			// it must get its own draw, not the newer one.
			CompletableFuture<long[]> first = CompletableFuture.supplyAsync(() -> {
				long drawn = wait.apply(1);
				firstDrew.countDown();
				await(secondDrew);
				return new long[] { drawn, wait.lastDrawnMillis() };
			}, threads);
			CompletableFuture<long[]> second = CompletableFuture.supplyAsync(() -> {
				await(firstDrew);
				long drawn = wait.apply(1);
				secondDrew.countDown();
				return new long[] { drawn, wait.lastDrawnMillis() };
			}, threads);

			long[] firstResult = first.get(10, TimeUnit.SECONDS);
			long[] secondResult = second.get(10, TimeUnit.SECONDS);
			assertThat(firstResult[1]).isEqualTo(firstResult[0]).isBetween(50_000L, 150_000L);
			assertThat(secondResult[1]).isEqualTo(secondResult[0]).isBetween(50_000L, 150_000L);
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void beforeAnyDrawOnAThreadItIsTheConfiguredWait() {
		RandomizedOpenStateWait wait = RandomizedOpenStateWait.of(Duration.ofSeconds(3), 0.5);
		assertThat(wait.lastDrawnMillis()).isEqualTo(3_000);
	}

	private static void await(CountDownLatch latch) {
		try {
			assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
