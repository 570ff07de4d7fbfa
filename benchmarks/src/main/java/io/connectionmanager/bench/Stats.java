package io.connectionmanager.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Percentiles of small sample sets (nearest-rank, the definition HdrHistogram also uses)
 * and medians.
 */
final class Stats {

	private Stats() {
	}

	/**
	 * The nearest-rank percentile: the smallest sample such that at least {@code p}% of
	 * samples are <= it.
	 */
	static double percentile(Collection<? extends Number> samples, double p) {
		if (samples.isEmpty()) {
			return Double.NaN;
		}
		double[] sorted = samples.stream().mapToDouble(Number::doubleValue).sorted().toArray();
		int rank = (int) Math.ceil(p / 100.0 * sorted.length);
		return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
	}

	/** The median (mean of the middle two for an even count). */
	static double median(Collection<? extends Number> samples) {
		if (samples.isEmpty()) {
			return Double.NaN;
		}
		double[] sorted = samples.stream().mapToDouble(Number::doubleValue).sorted().toArray();
		int mid = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
	}

	/** The 25th and 75th percentiles (nearest rank), rounded. */
	static List<Double> quartiles(Collection<? extends Number> samples, int decimals) {
		return List.of(round(percentile(samples, 25), decimals), round(percentile(samples, 75), decimals));
	}

	static double max(Collection<? extends Number> samples) {
		return samples.stream().mapToDouble(Number::doubleValue).max().orElse(Double.NaN);
	}

	/** p50, p90, p99, max and the count, for the details section of the results. */
	static Map<String, Object> summary(Collection<? extends Number> samples) {
		Map<String, Object> summary = new LinkedHashMap<>();
		summary.put("count", samples.size());
		summary.put("min", percentile(samples, 0));
		summary.put("p50", percentile(samples, 50));
		summary.put("p90", percentile(samples, 90));
		summary.put("p99", percentile(samples, 99));
		summary.put("max", max(samples));
		return summary;
	}

	static double round(double value, int decimals) {
		if (Double.isNaN(value) || Double.isInfinite(value)) {
			return value;
		}
		double scale = Math.pow(10, decimals);
		return Math.round(value * scale) / scale;
	}

	static List<Double> rounded(Collection<? extends Number> values, int decimals) {
		List<Double> out = new ArrayList<>();
		for (Number value : values) {
			out.add(round(value.doubleValue(), decimals));
		}
		return out;
	}

	static double[] toArray(Collection<? extends Number> values) {
		return values.stream().mapToDouble(Number::doubleValue).toArray();
	}

	static double mean(double[] values) {
		return Arrays.stream(values).average().orElse(Double.NaN);
	}

}
