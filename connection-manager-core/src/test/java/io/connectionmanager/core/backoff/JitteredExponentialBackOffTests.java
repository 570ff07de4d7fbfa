package io.connectionmanager.core.backoff;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.util.backoff.BackOffExecution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
		JitteredExponentialBackOff backOff = settings.toBackOff(null);
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
		assertThat(backOff.spread(10_000, 0.99)).isEqualTo(1000L);
		assertThat(backOff.spread(Integer.MAX_VALUE, 0.5)).isEqualTo(1000L);
	}

	@Test
	void spreadDelaysStayWithinTheirStepBelowTheCeilingAndTheCap() {
		JitteredExponentialBackOff backOff = new JitteredExponentialBackOff(Duration.ofMillis(1000),
				Duration.ofMillis(30_000), 2.0, Jitter.SPREAD, -1, new SplittableRandom(3));
		double r = Math.sqrt(2);
		for (int run = 0; run < 200; run++) {
			BackOffExecution execution = backOff.start();
			assertThat(execution.nextBackOff()).isBetween(0L, 999L);
			for (int k = 1; k < 30; k++) {
				long delay = execution.nextBackOff();
				assertThat(delay).isLessThanOrEqualTo(backOff.ceiling(k)).isLessThanOrEqualTo(30_000L);
				assertThat(delay).isBetween((long) Math.min(30_000, 1000 * Math.pow(r, k - 1)),
						(long) Math.min(30_000, Math.ceil(1000 * Math.pow(r, k))));
			}
			assertThat(execution.nextBackOff()).isEqualTo(30_000L);
		}
	}

	/**
	 * Attempt k falls at S(k + u) with S(x) = d (r^x - 1) / (r - 1): here d = 1000, r =
	 * sqrt(4) = 2, u = 0.5.
	 */
	@Test
	void spreadWalksTheUnjitteredScheduleShiftedByThePhase() {
		JitteredExponentialBackOff backOff = new JitteredExponentialBackOff(Duration.ofMillis(1000),
				Duration.ofMillis(1_000_000), 4.0, Jitter.SPREAD, -1, new SplittableRandom(1));
		long elapsed = 0;
		for (int k = 0; k < 8; k++) {
			elapsed += backOff.spread(k, 0.5);
			double expected = 1000 * (Math.pow(2, k + 0.5) - 1);
			assertThat((double) elapsed).isCloseTo(expected, within(k + 1.0));
		}
		// Exponential growth by r per attempt.
		assertThat(backOff.spread(6, 0.5) / (double) backOff.spread(5, 0.5)).isCloseTo(2.0, within(0.01));
	}

	@Test
	void spreadWithMultiplierOneRetriesPeriodicallyFromARandomPhase() {
		JitteredExponentialBackOff backOff = new JitteredExponentialBackOff(Duration.ofMillis(1000),
				Duration.ofMillis(1000), 1.0, Jitter.SPREAD, -1, new SplittableRandom(5));
		assertThat(backOff.spread(0, 0.25)).isEqualTo(250L);
		BackOffExecution execution = backOff.start();
		assertThat(execution.nextBackOff()).isBetween(0L, 999L);
		assertThat(take(execution, 5)).containsOnly(1000L);
	}

	/** Phases drawn from an injected random are uniform over the step. */
	@Test
	void spreadPhasesFromAnInjectedRandomAreUniform() {
		JitteredExponentialBackOff backOff = new JitteredExponentialBackOff(Duration.ofMillis(1000),
				Duration.ofMillis(1_000_000), 4.0, Jitter.SPREAD, -1, new SplittableRandom(11));
		int[] bins = new int[10];
		for (int i = 0; i < 20_000; i++) {
			BackOffExecution execution = backOff.start();
			execution.nextBackOff();
			// delay(1) = d r^u, r = 2: u = log2(delay / d).
			double phase = Math.log(execution.nextBackOff() / 1000.0) / Math.log(2);
			bins[(int) Math.min(9, phase * 10)]++;
		}
		assertThat(IntStream.of(bins).boxed().toList())
			.allSatisfy((count) -> assertThat(count).isBetween(1_800, 2_200));
	}

	/** Consecutive phases of one sequence fill the step like a grid, not like dice. */
	@Test
	void evenPhasesFillTheStepEvenly() {
		EvenPhases phases = new EvenPhases(new SplittableRandom(13).nextLong());
		int[] bins = new int[10];
		for (int i = 0; i < 1000; i++) {
			double phase = phases.next();
			assertThat(phase).isGreaterThanOrEqualTo(0.0).isLessThan(1.0);
			bins[(int) (phase * 10)]++;
		}
		assertThat(IntStream.of(bins).boxed().toList()).allSatisfy((count) -> assertThat(count).isBetween(97, 103));
	}

	@Test
	void eachStartOfSpreadIsAFreshSequenceWithANewPhase() {
		JitteredExponentialBackOff backOff = backOff(Jitter.SPREAD, -1);
		BackOffExecution first = backOff.start();
		List<Long> firstDelays = take(first, 6);
		assertThat(firstDelays.get(5)).isGreaterThan(firstDelays.get(1));
		BackOffExecution second = backOff.start();
		assertThat(second.nextBackOff()).isBetween(0L, 99L);
		assertThat(take(second, 5)).isNotEqualTo(firstDelays.subList(1, 6));
	}

	/**
	 * The storm in arithmetic: 1,000 connections of one process lose their server at 0,
	 * it listens again at 1 s; each connection's first attempt from then on succeeds.
	 * Defaults (1 s, 30 s, x2). SPREAD brings all back within one step, (r - 1) R + d, at
	 * a peak close to an even spread; FULL jitter, for contrast, needs seconds more.
	 */
	@Test
	void aCrowdOfOneProcessReturnsEvenlyAndWithinOneStep() {
		double[] spread = crowd(new JitteredExponentialBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0,
				Jitter.SPREAD, -1, null));
		assertThat(spread[1]).isLessThanOrEqualTo(1000 * (Math.sqrt(2) - 1) + 1000 + 1);
		assertThat(spread[0]).isLessThan(1.3);
		double[] full = crowd(new JitteredExponentialBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0,
				Jitter.FULL, -1, new SplittableRandom(17)));
		assertThat(full[0]).isGreaterThan(2 * spread[0]);
		assertThat(full[1]).isGreaterThan(spread[1]);
	}

	/**
	 * Peak attempts per 100 ms after the return over an even spread, and when the last
	 * connection is back (ms after the return).
	 */
	private static double[] crowd(JitteredExponentialBackOff backOff) {
		int n = 1000;
		long back = 1000;
		long[] returns = new long[n];
		long last = 0;
		for (int i = 0; i < n; i++) {
			BackOffExecution execution = backOff.start();
			long at = 0;
			do {
				at += execution.nextBackOff();
			}
			while (at < back);
			returns[i] = at - back;
			last = Math.max(last, returns[i]);
		}
		int buckets = (int) (last / 100) + 1;
		int[] counts = new int[buckets];
		for (long at : returns) {
			counts[(int) (at / 100)]++;
		}
		int peak = IntStream.of(counts).max().orElseThrow();
		return new double[] { peak / ((double) n / buckets), last };
	}

}
