package io.connectionmanager.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.connectionmanager.bench.ResultsWriter.Row;
import org.HdrHistogram.Histogram;

/**
 * Runs every scenario once, in one JVM, and writes {@code latest.json}, {@code latest.md}
 * and the PNG plots. Started by {@code bench/run.sh quick|full}.
 * <p>
 * Arguments:
 * {@code <quick|full> <results-dir> [git-commit] [git-dirty] [only=scale,overhead,storm,detection,recovery,compression,startup]}
 */
public final class BenchMain {

	private static final List<String> ALL = List.of("scale", "overhead", "storm", "detection", "recovery",
			"compression", "startup");

	private BenchMain() {
	}

	public static void main(String[] args) throws Exception {
		Mode mode = Mode.of((args.length > 0) ? args[0] : "quick");
		Path out = Path.of((args.length > 1) ? args[1] : "bench/results");
		String commit = (args.length > 2) ? args[2] : "unknown";
		boolean dirty = args.length > 3 && Boolean.parseBoolean(args[3]);
		Set<String> only = (args.length > 4 && args[4].startsWith("only=")) ? Set.of(args[4].substring(5).split(","))
				: Set.copyOf(ALL);
		Files.createDirectories(out);
		Logger.getLogger("").setLevel(Level.WARNING);
		System.setProperty("java.awt.headless", "true");

		long started = System.nanoTime();
		Map<String, Object> results = new LinkedHashMap<>();
		results.put("mode", mode.name());
		results.put("started_at", OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString());
		results.put("wall_seconds", null);
		results.put("git_commit", commit);
		results.put("git_dirty", dirty);
		results.put("machine", machine());
		Map<String, Object> baseline = new LinkedHashMap<>();
		baseline.put("client", "OkHttp " + OkHttp.version() + " WebSocket (com.squareup.okhttp3:okhttp-jvm)");
		baseline.put("keepalive",
				"OkHttpClient.pingInterval (same interval as the managed heartbeat of each scenario)");
		baseline.put("reconnect", "on onFailure/onClosed: newWebSocket again after a delay that doubles per failed "
				+ "attempt up to a cap and resets on onOpen; no jitter (see bench/README.md)");
		Map<String, Object> details = new LinkedHashMap<>();

		// Scale first: its heap figures want a JVM with nothing else on the heap.
		if (only.contains("scale")) {
			Bench.log("scale: " + mode.scaleConnections() + " connections");
			merge(new ScaleScenario(mode).run(), "scale", results, baseline, details);
		}
		OverheadScenario overhead = null;
		if (only.contains("overhead")) {
			Bench.log("overhead: throughput and latency, raw vs managed vs okhttp");
			overhead = new OverheadScenario(mode);
			merge(overhead.run(), "overhead", results, baseline, details);
		}
		StormScenario storm = null;
		if (only.contains("storm")) {
			Bench.log("storm: " + mode.stormConnections() + " connections x " + mode.stormRepeats() + " repeats");
			storm = new StormScenario(mode);
			merge(storm.run(), "storm", results, baseline, details);
		}
		DetectionScenario detection = null;
		if (only.contains("detection")) {
			Bench.log("detection: " + mode.detectionRounds() + " freezes x " + mode.detectionConnections());
			detection = new DetectionScenario(mode);
			merge(detection.run(), "detection", results, baseline, details);
		}
		RecoveryScenario recovery = null;
		if (only.contains("recovery")) {
			Bench.log("recovery: " + mode.recoveryTrials() + " restarts x " + mode.recoveryConnections());
			recovery = new RecoveryScenario(mode);
			merge(recovery.run(), "recovery", results, baseline, details);
		}

		if (only.contains("compression")) {
			Bench.log("compression: a ticker stream with and without permessage-deflate");
			merge(new CompressionScenario(mode).run(), "compression", results, baseline, details);
		}

		if (only.contains("startup")) {
			Bench.log("startup: Spring Boot application with 10 connections vs the starter disabled");
			merge(StartupScenario.runInChildJvm(), "startup", results, baseline, details);
		}

		details.put("server_restart_bind_retries", Bench.restartRetries());
		results.put("baseline", baseline);
		Map<String, Object> goals = goals(results);
		results.put("goals", goals);
		results.put("details", details);
		List<String> plots = plots(out, overhead, storm, detection, recovery);
		results.put("plots", plots);
		results.put("wall_seconds", Math.round((System.nanoTime() - started) / 1e9));
		ResultsWriter.writeJson(out.resolve("latest.json"), results);
		ResultsWriter.writeMarkdown(out.resolve("latest.md"), results, rows(results, baseline, goals),
				MarkdownSections.of(results, details), plots);
		Bench.log("wrote " + out.resolve("latest.json") + " and " + out.resolve("latest.md") + " in "
				+ results.get("wall_seconds") + " s");
		System.exit(0);
	}

	/**
	 * Top-level keys to results, {@code baseline_*} keys to the baseline object,
	 * {@code details} under the name.
	 */
	private static void merge(Map<String, Object> scenario, String name, Map<String, Object> results,
			Map<String, Object> baseline, Map<String, Object> details) {
		scenario.forEach((key, value) -> {
			if (key.equals("details")) {
				details.put(name, value);
			}
			else if (key.startsWith("baseline_")) {
				baseline.put(key.substring("baseline_".length()), value);
			}
			else {
				results.put(key, value);
			}
		});
	}

	private static Map<String, Object> machine() {
		Map<String, Object> machine = new LinkedHashMap<>();
		machine.put("cores", Runtime.getRuntime().availableProcessors());
		machine.put("jdk", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
				+ System.getProperty("java.vendor") + ")");
		machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
				+ System.getProperty("os.arch"));
		machine.put("cpu", cpuModel());
		machine.put("memory_bytes", totalMemory());
		machine.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
		machine.put("load_average_at_start",
				Stats.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), 2));
		machine.put("netty",
				io.netty.util.Version.identify()
					.values()
					.stream()
					.filter((v) -> v.artifactId().equals("netty-common"))
					.map(io.netty.util.Version::artifactVersion)
					.findFirst()
					.orElse("?"));
		return machine;
	}

	private static String cpuModel() {
		try {
			return Files.readAllLines(Path.of("/proc/cpuinfo"))
				.stream()
				.filter((line) -> line.startsWith("model name"))
				.map((line) -> line.substring(line.indexOf(':') + 1).trim())
				.findFirst()
				.orElse("?");
		}
		catch (Exception ex) {
			return "?";
		}
	}

	private static long totalMemory() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			return os.getTotalMemorySize();
		}
		return -1;
	}

	/** A goal of issue 16 (or earlier): the key, its bound as text, and the test. */
	private record Goal(String key, String text, java.util.function.Predicate<Map<String, Object>> met) {

		Boolean evaluate(Map<String, Object> results) {
			try {
				return this.met.test(results);
			}
			catch (RuntimeException ex) {
				return null; // the scenario did not run
			}
		}

	}

	private static double number(Map<String, Object> results, String key) {
		return ((Number) results.get(key)).doubleValue();
	}

	private static double entry(Map<String, Object> results, String key, String entry) {
		return ((Number) ((Map<?, ?>) results.get(key)).get(entry)).doubleValue();
	}

	private static final List<Goal> GOALS = List.of(
			new Goal("cpu_ns_per_message_ratio", "<= 1.05", (r) -> number(r, "cpu_ns_per_message_ratio") <= 1.05),
			new Goal("overhead_throughput_ratio", ">= 0.95", (r) -> number(r, "overhead_throughput_ratio") >= 0.95),
			new Goal("added_latency_p50_us", "<= 10", (r) -> number(r, "added_latency_p50_us") <= 10),
			new Goal("threads_at_n", "<= threads_at_100 + 4",
					(r) -> number(r, "threads_at_n") - number(r, "threads_at_100") <= 4),
			new Goal("heap_bytes_per_connection", "<= 32768", (r) -> number(r, "heap_bytes_per_connection") <= 32768),
			new Goal("heap_ratio_to_raw", "<= 1.5", (r) -> number(r, "heap_ratio_to_raw") <= 1.5),
			new Goal("storm_peak_to_ideal", "default <= 1.5", (r) -> entry(r, "storm_peak_to_ideal", "default") <= 1.5),
			new Goal("storm_all_reconnected_ms", "default <= 2000",
					(r) -> entry(r, "storm_all_reconnected_ms", "default") <= 2000),
			new Goal("detection_ms_p99", "<= 400 (interval + timeout)", (r) -> number(r, "detection_ms_p99") <= 400),
			new Goal("startup_added_ms", "<= 15", (r) -> number(r, "startup_added_ms") <= 15));

	private static Map<String, Object> goals(Map<String, Object> results) {
		Map<String, Object> goals = new LinkedHashMap<>();
		for (Goal goal : GOALS) {
			Boolean met = goal.evaluate(results);
			if (met != null) {
				goals.put(goal.key() + " " + goal.text(), met);
			}
		}
		return goals;
	}

	/** The summary table's keys, in order; each with its goal when it has one. */
	private static final List<String> ROW_KEYS = List.of("cpu_ns_per_message_ratio", "overhead_throughput_ratio",
			"added_latency_p50_us", "added_latency_p99_us", "n", "threads_at_100", "threads_at_n",
			"heap_bytes_per_connection", "raw_heap_bytes_per_connection", "heap_ratio_to_raw",
			"direct_bytes_per_connection", "connect_all_seconds", "storm_peak_to_ideal", "storm_all_reconnected_ms",
			"storm_peak_attempts_per_100ms", "storm_peak_to_mean", "threads_added_by_1000_connections",
			"detection_ms_p50", "detection_ms_p99", "recovery_overshoot_ms_p50", "compression_wire_ratio",
			"compression_cpu_ns_per_message", "compression_throughput_ratio", "startup_ms_with_10_connections",
			"startup_ms_without", "startup_added_ms", "startup_ratio", "startup_added_wall_ms");

	private static List<Row> rows(Map<String, Object> r, Map<String, Object> b, Map<String, Object> goals) {
		List<Row> rows = new ArrayList<>();
		for (String key : ROW_KEYS) {
			if (!r.containsKey(key)) {
				continue;
			}
			Goal goal = GOALS.stream().filter((g) -> g.key().equals(key)).findFirst().orElse(null);
			String text = (goal != null) ? goal.text() : NOTES.get(key);
			Boolean met = (goal != null) ? (Boolean) goals.get(goal.key() + " " + goal.text()) : null;
			rows.add(new Row(key, r.get(key), r.get(key + "_p25_p75"), b.get(key), text, met));
		}
		return rows;
	}

	private static final Map<String, String> NOTES = Map.ofEntries(Map.entry("added_latency_p99_us", "reported"),
			Map.entry("compression_wire_ratio", "deflate ÷ plain bytes on the wire"),
			Map.entry("compression_cpu_ns_per_message", "client CPU, plain and deflate"),
			Map.entry("compression_throughput_ratio", "deflate ÷ plain messages/s"),
			Map.entry("storm_peak_attempts_per_100ms", "lower is gentler"),
			Map.entry("storm_peak_to_mean", "lower is smoother"),
			Map.entry("threads_added_by_1000_connections", "(storm scenario)"),
			Map.entry("recovery_overshoot_ms_p50", "small"),
			Map.entry("startup_added_wall_ms", "(wall time: noisy on a shared machine)"));

	private static List<String> plots(Path out, OverheadScenario overhead, StormScenario storm,
			DetectionScenario detection, RecoveryScenario recovery) throws Exception {
		PlotWriter writer = new PlotWriter(out);
		List<String> plots = new ArrayList<>();
		if (overhead != null) {
			Map<String, Map<String, Double>> throughput = new LinkedHashMap<>();
			overhead.rates()
				.forEach((kind, rates) -> throughput.put(kind, Map.of("median messages/s", Stats.median(rates))));
			plots.add(writer.bars("throughput.png", "Throughput, 64-byte texts (server-side count), median of rounds",
					"messages/s", throughput, false));
			Map<String, Map<String, Double>> latency = new LinkedHashMap<>();
			for (double p : new double[] { 50, 90, 99, 99.9 }) {
				Map<String, Double> byKind = new LinkedHashMap<>();
				for (Map.Entry<String, Histogram> entry : overhead.latencies().entrySet()) {
					byKind.put(entry.getKey(), entry.getValue().getValueAtPercentile(p) / 1e3);
				}
				latency.put("p" + ((p == Math.rint(p)) ? Long.toString((long) p) : Double.toString(p)), byKind);
			}
			plots.add(writer.bars("latency.png", "Echo round trip over loopback (one in flight), log scale",
					"microseconds", latency, true));
			plots.add(writer.latencyDistribution("latency-distribution.png", overhead.latencies()));
		}
		if (storm != null) {
			Map<String, StormScenario.Storm> first = new LinkedHashMap<>();
			storm.storms().forEach((name, list) -> first.put(name, list.get(0)));
			plots.add(writer.stormPanels(first));
		}
		if (detection != null) {
			plots.add(writer.histogram("detection.png",
					"Dead-peer detection: freeze to leaving CONNECTED (interval = timeout = 200 ms)", "ms",
					ordered("connection-manager", detection.managedSamples(), "OkHttp pingInterval",
							detection.okhttpSamples()),
					10));
		}
		if (recovery != null) {
			plots.add(writer.histogram("recovery.png", "Recovery overshoot: CONNECTED minus the scheduled attempt time",
					"ms",
					ordered("connection-manager", recovery.managedSamples(), "OkHttp loop", recovery.okhttpSamples()),
					0.5));
		}
		return plots;
	}

	private static Map<String, List<Double>> ordered(String k1, List<Double> v1, String k2, List<Double> v2) {
		Map<String, List<Double>> map = new LinkedHashMap<>();
		map.put(k1, v1);
		map.put(k2, v2);
		return map;
	}

}
