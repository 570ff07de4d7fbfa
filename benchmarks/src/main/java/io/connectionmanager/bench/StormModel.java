package io.connectionmanager.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import io.connectionmanager.core.backoff.Jitter;
import io.connectionmanager.core.backoff.JitteredExponentialBackOff;

import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * The reconnect storm in arithmetic, no network: how each backoff policy would bring
 * 1,000 connections back after outages of several lengths. It is how the candidates for
 * the default jitter were compared before measuring the winner on sockets
 * ({@link StormScenario}); the library's policies run through the real
 * {@link JitteredExponentialBackOff}, the rejected candidates are written out below.
 * <p>
 * Model: connection {@code i} loses its server at a time uniform in [0, 20) ms (the RSTs
 * of one kill are not processed at one instant); an attempt while the server is down
 * fails at once, one after its return at {@code R} succeeds and is CONNECTED 0.5 to 3 ms
 * later. Keys as in the harness: peak-to-ideal over 100 ms buckets from {@code R} to the
 * bucket of the last CONNECTED, and when the last is back. Each cell is the median (p90)
 * of 30 seeded crowds.
 * <p>
 * Run: {@code java -cp <bench classpath> io.connectionmanager.bench.StormModel}.
 */
public final class StormModel {

	private static final int CLIENTS = 1000;

	private static final int SEEDS = 30;

	/** Seeds of the rejected candidates' phases: a new one per crowd. */
	private static final SplittableRandom SEEDER = new SplittableRandom(7);

	private StormModel() {
	}

	public static void main(String[] args) {
		long[] outages = { 500, 1000, 2000, 5000, 10_000 };
		for (long[] backoff : new long[][] { { 1000, 30_000 }, { 250, 8000 } }) {
			System.out.printf(Locale.ROOT, "%n### initial %d ms, cap %d ms, x2%n%n", backoff[0], backoff[1]);
			StringBuilder header = new StringBuilder("| policy |");
			for (long outage : outages) {
				header.append(' ').append(outage).append(" ms outage: peak-to-ideal, all back ms |");
			}
			System.out.println(header);
			System.out.println("| --- |" + " --- |".repeat(outages.length));
			candidates(backoff[0], backoff[1]).forEach((name, policy) -> {
				StringBuilder row = new StringBuilder("| " + name + " |");
				for (long outage : outages) {
					List<double[]> crowds = new ArrayList<>();
					for (int seed = 0; seed < SEEDS; seed++) {
						crowds.add(crowd(policy.get(), outage, seed));
					}
					double[] ratio = crowds.stream().mapToDouble((c) -> c[0]).sorted().toArray();
					double[] back = crowds.stream().mapToDouble((c) -> c[1]).sorted().toArray();
					row.append(String.format(Locale.ROOT, " %.2f (%.2f), %.0f |", ratio[SEEDS / 2],
							ratio[SEEDS * 9 / 10], back[SEEDS / 2]));
				}
				System.out.println(row);
			});
		}
	}

	/** Each policy as a factory of fresh {@link BackOff}s (one per crowd). */
	static Map<String, Supplier<BackOff>> candidates(long initial, long max) {
		Map<String, Supplier<BackOff>> candidates = new LinkedHashMap<>();
		for (Jitter jitter : Jitter.values()) {
			candidates.put(jitter.name().toLowerCase(Locale.ROOT) + ((jitter == Jitter.SPREAD) ? " (chosen)" : ""),
					() -> library(jitter, initial, max, null));
		}
		candidates.put("spread, independent phases (as separate processes)",
				() -> library(Jitter.SPREAD, initial, max, SEEDER.split()));
		// Rejected: the same shifted schedule with growth r = m (the multiplier itself):
		// peak 1.44 x ideal and a window twice as long.
		candidates.put("shifted schedule, growth m", () -> shifted(initial, max, 2.0));
		// Rejected: geometric attempt times phi * d * m^k (phi log-uniform in [1/m, 1]):
		// tight window but 1.44 x ideal; undefined for m = 1.
		candidates.put("geometric times, random log-phase", () -> geometric(initial, max, 2.0));
		// Rejected: next attempt at elapsed * (1 + U(0.5, 1)): fresh randomness each step
		// makes the return uneven.
		candidates.put("proportional to elapsed time, U(0.5, 1)", () -> proportional(initial, max));
		return candidates;
	}

	private static BackOff library(Jitter jitter, long initial, long max, SplittableRandom random) {
		return new JitteredExponentialBackOff(Duration.ofMillis(initial), Duration.ofMillis(max), 2.0, jitter, -1,
				random);
	}

	private static BackOff shifted(long initial, long max, double growth) {
		SplittableRandom random = SEEDER.split();
		return () -> new BackOffExecution() {
			private final double u = random.nextDouble();

			private int k;

			@Override
			public long nextBackOff() {
				double value = (this.k == 0) ? initial * (Math.pow(growth, this.u) - 1) / (growth - 1)
						: initial * Math.pow(growth, this.k - 1 + this.u);
				this.k++;
				return (long) Math.min(max, value);
			}
		};
	}

	private static BackOff geometric(long initial, long max, double growth) {
		SplittableRandom random = SEEDER.split();
		return () -> new BackOffExecution() {
			private final double phi = Math.pow(growth, -random.nextDouble());

			private int k;

			@Override
			public long nextBackOff() {
				double value = (this.k == 0) ? this.phi * initial
						: this.phi * (growth - 1) * initial * Math.pow(growth, this.k - 1);
				this.k++;
				return (long) Math.min(max, value);
			}
		};
	}

	private static BackOff proportional(long initial, long max) {
		SplittableRandom random = SEEDER.split();
		return () -> new BackOffExecution() {
			private long elapsed;

			@Override
			public long nextBackOff() {
				long delay = (this.elapsed == 0) ? random.nextLong(initial)
						: (long) Math.min(max, this.elapsed * random.nextDouble(0.5, 1));
				this.elapsed += Math.max(1, delay);
				return delay;
			}
		};
	}

	/**
	 * Peak-to-ideal and all-back (ms after the return) of one crowd.
	 */
	static double[] crowd(BackOff policy, long outage, long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		double back = outage + 3; // restart() takes a few ms
		List<Double> attempts = new ArrayList<>();
		double last = 0;
		for (int i = 0; i < CLIENTS; i++) {
			BackOffExecution execution = policy.start();
			double at = random.nextDouble(20);
			while (true) {
				at += execution.nextBackOff();
				attempts.add(at);
				if (at >= back) {
					last = Math.max(last, at + random.nextDouble(0.5, 3));
					break;
				}
				at += 0.3; // a refused attempt
			}
		}
		int buckets = (int) Math.max(1, Math.ceil((last - back) / StormScenario.BUCKET_MS));
		int[] counts = new int[buckets];
		for (double at : attempts) {
			int bucket = (int) Math.floor((at - back) / StormScenario.BUCKET_MS);
			if (bucket >= 0 && bucket < buckets) {
				counts[bucket]++;
			}
		}
		int peak = Arrays.stream(counts).max().orElse(0);
		return new double[] { peak / ((double) CLIENTS / buckets), last - back };
	}

}
