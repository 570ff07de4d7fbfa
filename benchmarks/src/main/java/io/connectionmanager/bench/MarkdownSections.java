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
					Definitions (full text in `bench/README.md`): CPU ratio = median over alternating rounds of (client-side \
					CPU time per message through `ManagedConnection.send`) / (the same through the raw \
					`NettyWebSocketTransport` session), client side = process CPU time less the in-process server's threads. \
					Throughput ratio = the same with server-counted messages/s. Added latency = median over rounds of (p50, \
					or p99, echo round trip through the client − the same through the raw session in that round). The \
					baseline column is OkHttp against the same raw session. `storm_peak_to_ideal` = the largest number of \
					connect attempts in one 100 ms bucket divided by (1,000 connections / the buckets from the instant the \
					server listens again up to the bucket in which the last connection is CONNECTED again); `default` is the \
					library's default reconnect settings with the proposed default jitter (the baseline's loop has no \
					jitter, so its values are listed as `none`). Heap ratio = heap per managed connection / heap per plain \
					Netty WebSocket client, same run. Start-up = CPU time of the thread running `SpringApplication.run`, \
					with 10 connections minus without the starter, median of alternating rounds. Detection = freeze of the \
					peer to leaving CONNECTED. Recovery overshoot = CONNECTED minus (RECONNECTING timestamp + retryIn), with \
					the server back before the attempt.
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
					"| client | msgs/s (median) | ÷ raw (p25-p75) | client CPU ns/msg (median) | ÷ raw (p25-p75) | echo p50 us | p90 | p99 | p99.9 | p50 − raw p50 us (p25-p75) | p99 − raw p99 us (p25-p75) | samples |\n");
			md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
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
					.append(c.get("median_client_cpu_ns_per_message"))
					.append(" | ")
					.append(c.get("client_cpu_per_message_ratio_to_raw_median"))
					.append(" (")
					.append(ResultsWriter.cell(c.get("client_cpu_per_message_ratio_to_raw_p25_p75")))
					.append(") | ")
					.append(lat.get("p50"))
					.append(" | ")
					.append(lat.get("p90"))
					.append(" | ")
					.append(lat.get("p99"))
					.append(" | ")
					.append(lat.get("p99.9"))
					.append(" | ")
					.append(c.get("p50_minus_raw_p50_us_median"))
					.append(" (")
					.append(ResultsWriter.cell(c.get("p50_minus_raw_p50_us_p25_p75")))
					.append(") | ")
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
					"| client | peak/ideal | peak/mean | peak attempts per 100 ms | all back (ms after restart) | window buckets | attempts in window | attempts since kill | breaker openings | threads added by the 1,000 connections |\n");
			md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
			storm.forEach((name, value) -> {
				if (value instanceof Map<?, ?> fleet) {
					md.append("| ")
						.append(name.equals("okhttp") ? "OkHttp loop (no jitter)"
								: String.valueOf(name).startsWith("default") ? name : "jitter " + name)
						.append(" | ")
						.append(ResultsWriter.cell(fleet.get("peak_to_ideal_per_repeat")))
						.append(" | ")
						.append(ResultsWriter.cell(fleet.get("peak_to_mean_per_repeat")))
						.append(" | ")
						.append(ResultsWriter.cell(fleet.get("peak_attempts_per_100ms")))
						.append(" | ")
						.append(ResultsWriter.cell(fleet.get("all_reconnected_ms_after_restart")))
						.append(" | ")
						.append(ResultsWriter.cell(fleet.get("window_buckets")))
						.append(" | ")
						.append(ResultsWriter.cell(fleet.get("attempts_in_window")))
						.append(" | ")
						.append(ResultsWriter.cell(fleet.get("attempts_since_kill")))
						.append(" | ")
						.append(ResultsWriter.cell(fleet.get("circuit_breaker_openings")))
						.append(" | ")
						.append(ResultsWriter.cell(fleet.get("threads_added_by_the_connections")))
						.append(" |\n");
				}
			});
			sections.add(md.toString());
		}
		if (details.get("compression") instanceof Map<?, ?> compression) {
			StringBuilder md = new StringBuilder("## Compression (permessage-deflate)\n\n");
			compression.forEach((key,
					value) -> md.append("- ").append(key).append(": ").append(ResultsWriter.cell(value)).append('\n'));
			sections.add(md.toString());
		}
		if (details.get("startup") instanceof Map<?, ?> startup) {
			StringBuilder md = new StringBuilder("## Start-up\n\n");
			startup.forEach((key,
					value) -> md.append("- ").append(key).append(": ").append(ResultsWriter.cell(value)).append('\n'));
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
