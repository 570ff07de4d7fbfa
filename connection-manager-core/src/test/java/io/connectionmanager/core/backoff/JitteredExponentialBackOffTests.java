package io.connectionmanager.core.backoff;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.util.backoff.BackOffExecution;

import static org.assertj.core.api.Assertions.assertThat;

class JitteredExponentialBackOffTests {

	private static JitteredExponentialBackOff backOff(Jitter jitter, int maxAttempts) {
		return new JitteredExponentialBackOff(Duration.ofMillis(100), Duration.ofMillis(1000), 2.0, jitter, maxAttempts,
				new SplittableRandom(42));
	}

	private static List<Long> take(BackOffExecution execution, int count) {
		List<Long> delays = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			delays.add(execution.nextBackOff());
		}
		return delays;
	}

	@Test
	void withoutJitterDelaysDoubleUpToTheCap() {
		assertThat(take(backOff(Jitter.NONE, -1).start(), 7)).containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L,
				1000L);
	}

	@Test
	void fullJitterStaysBetweenZeroAndTheCeiling() {
		BackOffExecution execution = backOff(Jitter.FULL, -1).start();
		long[] ceilings = { 100, 200, 400, 800, 1000, 1000, 1000, 1000 };
		for (long ceiling : ceilings) {
			assertThat(execution.nextBackOff()).isBetween(0L, ceiling);
		}
	}

	@Test
	void fullJitterSpreadsUniformly() {
		JitteredExponentialBackOff capped = new JitteredExponentialBackOff(Duration.ofMillis(1000),
				Duration.ofMillis(1000), 2.0, Jitter.FULL, -1, new SplittableRandom(7));
		long[] samples = LongStream.range(0, 20_000).map((i) -> capped.start().nextBackOff()).toArray();
		double mean = LongStream.of(samples).average().orElseThrow();
		long belowQuarter = LongStream.of(samples).filter((delay) -> delay < 250).count();
		assertThat(mean).isBetween(480.0, 520.0);
		assertThat(belowQuarter).isBetween(4_500L, 5_500L);
	}

	@Test
	void equalJitterNeverGoesBelowHalfTheCeiling() {
		BackOffExecution execution = backOff(Jitter.EQUAL, -1).start();
		long[] ceilings = { 100, 200, 400, 800, 1000, 1000 };
		for (long ceiling : ceilings) {
			assertThat(execution.nextBackOff()).isBetween(ceiling / 2, ceiling);
		}
	}

	@Test
	void decorrelatedJitterGrowsFromThePreviousDelayWithinBaseAndCap() {
		BackOffExecution execution = backOff(Jitter.DECORRELATED, -1).start();
		long previous = 100;
		for (int i = 0; i < 50; i++) {
			long delay = execution.nextBackOff();
			assertThat(delay).isBetween(100L, Math.min(1000L, previous * 3));
			previous = delay;
		}
	}

	@ParameterizedTest
	@EnumSource(Jitter.class)
	void stopsAfterMaxAttempts(Jitter jitter) {
		BackOffExecution execution = backOff(jitter, 3).start();
		assertThat(take(execution, 3)).allMatch((delay) -> delay >= 0);
		assertThat(execution.nextBackOff()).isEqualTo(BackOffExecution.STOP);
	}

	@Test
	void eachStartIsAFreshSequence() {
		JitteredExponentialBackOff backOff = backOff(Jitter.NONE, 2);
		BackOffExecution first = backOff.start();
		take(first, 2);
		assertThat(first.nextBackOff()).isEqualTo(BackOffExecution.STOP);
		assertThat(backOff.start().nextBackOff()).isEqualTo(100L);
	}

	/**
	 * Regression: a {@code ThreadLocalRandom} captured on the building thread and drawn
	 * on fresh threads (as on an event loop) gives every such thread the same sequence,
	 * and so every process the same delays.
	 */
	@Test
	void theDefaultJitterDiffersBetweenFreshThreads() throws Exception {
		io.connectionmanager.core.config.ReconnectSettings settings = new io.connectionmanager.core.config.ReconnectSettings(
				Duration.ofSeconds(1), Duration.ofSeconds(60), 2.0, Jitter.FULL, -1, Duration.ofSeconds(30));
		JitteredExponentialBackOff backOff = new JitteredExponentialBackOff(settings);
		List<List<Long>> sequences = new java.util.concurrent.CopyOnWriteArrayList<>();
		for (int i = 0; i < 2; i++) {
			Thread fresh = new Thread(() -> sequences.add(take(backOff.start(), 6)));
			fresh.start();
			fresh.join();
		}
		assertThat(sequences.get(0)).isNotEqualTo(sequences.get(1));
	}

	@Test
	void hugeAttemptCountsDoNotOverflow() {
		JitteredExponentialBackOff backOff = backOff(Jitter.NONE, -1);
		assertThat(backOff.ceiling(10_000)).isEqualTo(1000L);
		assertThat(backOff.ceiling(62)).isEqualTo(1000L);
	}

}
