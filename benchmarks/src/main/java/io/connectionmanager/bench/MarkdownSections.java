package io.connectionmanager.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The detail sections of {@code latest.md}, from the {@code details} object of the
 * results.
 */
final class MarkdownSections {

	private MarkdownSections() {
	}

	@SuppressWarnings("unchecked")
	static List<String> of(Map<String, Object> results, Map<String, Object> details) {
		List<String> sections = new ArrayList<>();
		sections
			.add("""
					Definitions (full text in `bench/README.md`): throughput ratio = median over alternating rounds of \
					(server-counted messages/s through `ManagedConnection.send`) / (the same through the raw \
					`NettyWebSocketTransport` session); the baseline column is OkHttp / raw. Added latency = median over rounds \
					of (p99 echo round trip through the client − p99 through the raw session in that round). \
					`storm_peak_to_mean` = the largest number of connect attempts in one 100 ms bucket divided by the mean \
					per bucket, over the buckets from the instant the server listens again up to the bucket in which the \
					last of the 1,000 connections is CONNECTED again (the baseline's loop has no jitter, so its value is \
					listed as `none`). Detection = freeze of the peer to leaving CONNECTED. Recovery overshoot = CONNECTED \
					minus (RECONNECTING timestamp + retryIn), with the server back before the attempt.
					""");
		if (details.get("overhead") instanceof Map<?, ?> overhead) {
			StringBuilder md = new StringBuilder("## Throughput and latency\n\n");
			md.append(overhead.get("rounds"))
				.append(" alternating rounds; throughput ")
				.append(overhead.get("round_ms_per_client"))
				.append(" ms per client per round, latency ")
				.append(overhead.get("latency_samples_per_client_per_round"))
				.append(" round trips per client per round. Ratios and differences are medians of per-round values.\n\n");
			md.append(
					"| client | msgs/s (median) | ÷ raw (p25-p75) | CPU ns/msg (median) | ÷ raw | echo p50 us | p90 | p99 | p99.9 | p99 − raw p99 us (p25-p75) | samples |\n");
			md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
			Map<String, Object> perClient = (Map<String, Object>) overhead.get("per_client");
			for (Map.Entry<String, Object> entry : perClient.entrySet()) {
				Map<String, Object> c = (Map<String, Object>) entry.getValue();
				Map<String, Object> lat = (Map<String, Object>) c.get("latency_us");
				md.append("| ")
					.append(entry.getKey())
					.append(" | ")
					.append(c.get("median_msgs_per_s"))
					.append(" | ")
					.append(c.get("throughput_ratio_to_raw_median"))
					.append(" (")
					.append(ResultsWriter.cell(c.get("throughput_ratio_to_raw_p25_p75")))
					.append(") | ")
					.append(c.get("median_cpu_ns_per_message"))
					.append(" | ")
					.append(c.get("cpu_per_message_ratio_to_raw_median"))
					.append(" | ")
					.append(lat.get("p50"))
					.append(" | ")
					.append(lat.get("p90"))
					.append(" | ")
					.append(lat.get("p99"))
					.append(" | ")
					.append(lat.get("p99.9"))
					.append(" | ")
					.append(c.get("p99_minus_raw_p99_us_median"))
					.append(" (")
					.append(ResultsWriter.cell(c.get("p99_minus_raw_p99_us_p25_p75")))
					.append(") | ")
					.append(lat.get("samples"))
					.append(" |\n");
			}
			md.append("\n`managed` is the default configuration (the keys); `managed_direct` runs the handler on the ")
				.append("event loop (`handlerExecutor(Runnable::run)`), to show what the hop to the handler pool costs.\n");
			sections.add(md.toString());
		}
		if (details.get("scale") instanceof Map<?, ?> scale) {
			StringBuilder md = new StringBuilder("## Scale\n\n");
			scale.forEach((key,
					value) -> md.append("- ").append(key).append(": ").append(ResultsWriter.cell(value)).append('\n'));
			sections.add(md.toString());
		}
		if (details.get("storm") instanceof Map<?, ?> storm) {
			StringBuilder md = new StringBuilder("## Reconnect storm\n\n");
			md.append(storm.get("connections"))
				.append(" connections, ")
				.append(storm.get("backoff"))
				.append(", ")
				.append(storm.get("repeats"))
				.append(" repeat(s) per client (median reported; lists are per repeat).\n\n");
			md.append(
					"| client | peak/mean | peak attempts per 100 ms | all back (ms after restart) | attempts in window | attempts since kill | threads added by the 1,000 connections |\n");
			md.append("| --- | --- | --- | --- | --- | --- | --- |\n");
			storm.forEach((name, value) -> {
				if (value instanceof Map<?, ?> fleet) {
					md.append("| ")
						.append(name.equals("okhttp") ? "OkHttp loop (no jitter)" : "jitter " + name)
						.append(" | ")
						.append(ResultsWriter.cell(fleet.get("peak_to_mean_per_repeat")))
						.append(" | ")
						.append(ResultsWriter.cell(fleet.get("peak_attempts_per_100ms")))
						.append(" | ")
						.append(ResultsWriter.cell(fleet.get("all_reconnected_ms_after_restart")))
						.append(" | ")
						.append(ResultsWriter.cell(fleet.get("attempts_in_window")))
						.append(" | ")
						.append(ResultsWriter.cell(fleet.get("attempts_since_kill")))
						.append(" | ")
						.append(ResultsWriter.cell(fleet.get("threads_added_by_the_connections")))
						.append(" |\n");
				}
			});
			sections.add(md.toString());
		}
		for (String name : List.of("detection", "recovery")) {
			if (details.get(name) instanceof Map<?, ?> scenario) {
				StringBuilder md = new StringBuilder(
						"## " + (name.equals("detection") ? "Dead-peer detection" : "Recovery overshoot") + "\n\n");
				scenario.forEach((key, value) -> {
					if (!(value instanceof Map)) {
						md.append("- ").append(key).append(": ").append(value).append('\n');
					}
				});
				md.append(
						"\n| client | samples | min ms | p50 | p90 | p99 | max |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
				for (String client : List.of("managed", "okhttp")) {
					Map<String, Object> summary = (Map<String, Object>) scenario.get(client + "_ms");
					md.append("| ")
						.append(client.equals("managed") ? "connection-manager" : "OkHttp")
						.append(" | ")
						.append(summary.get("count"))
						.append(" | ")
						.append(ms(summary.get("min")))
						.append(" | ")
						.append(ms(summary.get("p50")))
						.append(" | ")
						.append(ms(summary.get("p90")))
						.append(" | ")
						.append(ms(summary.get("p99")))
						.append(" | ")
						.append(ms(summary.get("max")))
						.append(" |\n");
				}
				sections.add(md.toString());
			}
		}
		return sections;
	}

	private static String ms(Object value) {
		return (value instanceof Number number) ? String.format(java.util.Locale.ROOT, "%.1f", number.doubleValue())
				: String.valueOf(value);
	}

}
