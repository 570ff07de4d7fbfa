package io.connectionmanager.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import io.connectionmanager.bench.EchoClients.EchoClient;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.HdrHistogram.Histogram;

/**
 * Keys 1 and 2: what a {@code ManagedConnection} costs over the raw transport it drives,
 * with OkHttp measured the same way as the baseline. One loopback server, one client JVM,
 * all clients open at once on one event loop; every round runs each client in turn
 * (rotating the order, and alternating between each kind's two connections), so that
 * drift of a shared machine hits them alike, and every key is the median over rounds of a
 * per-round comparison.
 * <p>
 * Throughput: an application thread sends 64-byte texts as fast as the client takes them,
 * with at most {@value #WINDOW} messages sent but not yet counted by the server; the rate
 * is the server's count of received messages over the round. The process CPU time per
 * message is recorded too (it is less disturbed by other processes on a shared machine
 * than a rate is). Latency: one text in flight, echoed by the server; the next is sent
 * from the receive callback, and every round trip goes into an HdrHistogram.
 */
final class OverheadScenario {

	static final String PAYLOAD = "x".repeat(64);

	/**
	 * Messages sent but not yet counted by the server, at most: below the default
	 * outbound buffer of a managed connection (1,000 messages, 64,000 bytes), which
	 * refuses a send beyond it, and the same for every kind.
	 */
	private static final long WINDOW = 800;

	/** Interleaved slices per client per throughput round. */
	private static final int SLICES = 10;

	private static final List<String> KINDS = List.of("raw", "managed", "managed_direct", "okhttp");

	private final Mode mode;

	private final Map<String, List<Double>> rates = new LinkedHashMap<>();

	private final Map<String, List<Double>> cpuPerMessage = new LinkedHashMap<>();

	private final Map<String, Histogram> latencies = new LinkedHashMap<>();

	/** Per kind: the per-round ratio of its rate to raw's. */
	private final Map<String, List<Double>> rateRatios = new LinkedHashMap<>();

	/**
	 * Per kind: the per-round ratio of its client-side CPU time per message to raw's (the
	 * keys).
	 */
	private final Map<String, List<Double>> cpuRatios = new LinkedHashMap<>();

	/** Per kind: the same with the whole process's CPU time (the server's included). */
	private final Map<String, List<Double>> processCpuRatios = new LinkedHashMap<>();

	private final Map<String, List<Double>> clientCpuPerMessage = new LinkedHashMap<>();

	/** Per kind: sends the client refused (failed futures), and the first refusal. */
	private final Map<String, Long> rejectedSends = new LinkedHashMap<>();

	private final Map<String, String> firstRejections = new LinkedHashMap<>();

	/** CPU clocks, with the in-process server's threads known once they all exist. */
	private CpuClock cpu = new CpuClock(new long[0]);

	/** Per kind: the per-round difference of its p99 and raw's, in microseconds. */
	private final Map<String, List<Double>> addedP99 = new LinkedHashMap<>();

	/** Per kind: the per-round difference of its p50 and raw's, in microseconds. */
	private final Map<String, List<Double>> addedP50 = new LinkedHashMap<>();

	/**
	 * Per kind: client-side CPU microseconds per echo round trip, per round (what a
	 * faster hand-off costs: a thread that spins instead of parking burns CPU).
	 */
	private final Map<String, List<Double>> latencyCpuPerRoundTrip = new LinkedHashMap<>();

	OverheadScenario(Mode mode) {
		this.mode = mode;
		for (String kind : KINDS) {
			this.rates.put(kind, new ArrayList<>());
			this.cpuPerMessage.put(kind, new ArrayList<>());
			this.latencies.put(kind, new Histogram(3));
			this.rateRatios.put(kind, new ArrayList<>());
			this.cpuRatios.put(kind, new ArrayList<>());
			this.processCpuRatios.put(kind, new ArrayList<>());
			this.clientCpuPerMessage.put(kind, new ArrayList<>());
			this.addedP99.put(kind, new ArrayList<>());
			this.addedP50.put(kind, new ArrayList<>());
			this.latencyCpuPerRoundTrip.put(kind, new ArrayList<>());
		}
	}

	Map<String, Object> run() throws Exception {
		try (TestWebSocketServer server = TestWebSocketServer.start(); ConnectionRuntime runtime = Bench.runtime(1)) {
			URI uri = server.uri("/overhead");
			// Two connections per client kind. The server hands accepted connections to
			// its two event loops in turn;
			// a spare connection between the two sets shifts the parity, so that every
			// kind has one connection on
			// each server loop, and rounds alternate between them.
			Map<String, List<EchoClient>> clients = new LinkedHashMap<>();
			List<EchoClient> all = new ArrayList<>();
			try {
				for (int set = 0; set < 2; set++) {
					for (String kind : KINDS) {
						EchoClient client = switch (kind) {
							case "raw" -> EchoClients.raw(uri, runtime);
							case "managed" -> EchoClients.managed(uri, runtime);
							case "managed_direct" -> EchoClients.managedDirect(uri, runtime);
							default -> EchoClients.okhttp(uri);
						};
						all.add(client);
						clients.computeIfAbsent(kind, (k) -> new ArrayList<>()).add(client);
					}
					if (set == 0) {
						all.add(EchoClients.raw(uri, runtime));
					}
				}
				measureThroughput(server, clients);
				measureLatency(server, clients);
				clients.forEach((kind, list) -> {
					long rejected = list.stream().mapToLong(EchoClient::rejected).sum();
					this.rejectedSends.put(kind, rejected);
					list.stream()
						.map(EchoClient::firstRejection)
						.filter(java.util.Objects::nonNull)
						.findFirst()
						.ifPresent((first) -> this.firstRejections.put(kind, first));
				});
			}
			finally {
				all.forEach(EchoClient::close);
			}
		}
		return results();
	}

	private void measureThroughput(TestWebSocketServer server, Map<String, List<EchoClient>> clients) {
		server.onText((connection, text) -> {
		});
		for (String kind : KINDS) {
			Bench.log("throughput warm-up: " + kind);
			for (EchoClient client : clients.get(kind)) {
				rate(server, client, TimeUnit.SECONDS.toMillis(this.mode.warmupSeconds()) / 2);
			}
		}
		this.cpu = CpuClock.excludingThreadsNamed("cm-test");
		for (int round = 0; round < this.mode.rounds(); round++) {
			// A round is SLICES short slices per client, interleaved, so that a burst of
			// load from elsewhere on the
			// machine falls on every client alike; each client's round figure sums its
			// slices.
			Map<String, double[]> sums = new LinkedHashMap<>();
			for (int slice = 0; slice < SLICES; slice++) {
				for (String kind : rotated(round + slice)) {
					double[] measured = measure(server, clients.get(kind).get(round % 2),
							this.mode.roundMillis() / SLICES, this.cpu);
					double[] sum = sums.computeIfAbsent(kind, (k) -> new double[4]);
					for (int i = 0; i < 4; i++) {
						sum[i] += measured[i];
					}
				}
			}
			// Per kind: messages/s, process CPU ns per message, client CPU ns per
			// message.
			Map<String, double[]> measuredThisRound = new LinkedHashMap<>();
			sums.forEach((kind, sum) -> measuredThisRound.put(kind,
					new double[] { sum[0] / sum[1], sum[2] / Math.max(1, sum[0]), sum[3] / Math.max(1, sum[0]) }));
			for (String kind : KINDS) {
				double[] measured = measuredThisRound.get(kind);
				double[] raw = measuredThisRound.get("raw");
				this.rates.get(kind).add(measured[0]);
				this.cpuPerMessage.get(kind).add(measured[1]);
				this.clientCpuPerMessage.get(kind).add(measured[2]);
				this.rateRatios.get(kind).add(measured[0] / raw[0]);
				this.processCpuRatios.get(kind).add(measured[1] / raw[1]);
				this.cpuRatios.get(kind).add(measured[2] / raw[2]);
			}
			if ((round + 1) % 10 == 0 || round + 1 == this.mode.rounds()) {
				Bench.log("throughput round " + (round + 1) + "/" + this.mode.rounds() + ": managed/raw so far "
						+ Stats.round(Stats.median(this.rateRatios.get("managed")), 3) + ", CPU per message "
						+ Stats.round(Stats.median(this.cpuRatios.get("managed")), 3) + " (medians)");
			}
		}
	}

	/**
	 * Messages per second counted by the server while {@code client} sends for
	 * {@code millis} (warm-up).
	 */
	private static double rate(TestWebSocketServer server, EchoClient client, long millis) {
		double[] measured = measure(server, client, millis, new CpuClock(new long[0]));
		return measured[0] / measured[1];
	}

	/**
	 * Sends for {@code millis}, then waits until the server has received everything (so
	 * that the next client does not pay for this one's backlog). Returns messages the
	 * server counted during the sending, the seconds it took, the process CPU nanoseconds
	 * spent, and those of the client side (the process less the server's threads).
	 */
	private static double[] measure(TestWebSocketServer server, EchoClient client, long millis, CpuClock cpu) {
		long base = server.textMessagesReceived();
		long rejectedBase = client.rejected();
		long sent = 0;
		long cpuStart = cpu.processNanos();
		long clientStart = cpu.clientNanos();
		long start = System.nanoTime();
		long end = start + TimeUnit.MILLISECONDS.toNanos(millis);
		while (System.nanoTime() - end < 0) {
			for (int i = 0; i < 64; i++) {
				client.send(PAYLOAD);
			}
			sent += 64;
			while (sent - (client.rejected() - rejectedBase) - (server.textMessagesReceived() - base) > WINDOW
					&& System.nanoTime() - end < 0) {
				LockSupport.parkNanos(20_000);
			}
		}
		long received = server.textMessagesReceived() - base;
		double elapsedSeconds = (System.nanoTime() - start) / 1e9;
		long processCpu = cpu.processNanos() - cpuStart;
		long clientCpu = cpu.clientNanos() - clientStart;
		long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (server.textMessagesReceived() - base < sent - (client.rejected() - rejectedBase)
				&& System.nanoTime() - drainDeadline < 0) {
			LockSupport.parkNanos(50_000);
		}
		return new double[] { received, elapsedSeconds, processCpu, clientCpu };
	}

	private void measureLatency(TestWebSocketServer server, Map<String, List<EchoClient>> clients) throws Exception {
		server.onText(null); // echo
		for (String kind : KINDS) {
			Bench.log("latency warm-up: " + kind);
			for (EchoClient client : clients.get(kind)) {
				pingPong(client, this.mode.latencySamples(), new Histogram(3));
			}
		}
		for (int round = 0; round < this.mode.rounds(); round++) {
			Map<String, Histogram> measuredThisRound = new LinkedHashMap<>();
			for (String kind : rotated(round)) {
				Histogram histogram = new Histogram(3);
				long cpuStart = this.cpu.clientNanos();
				pingPong(clients.get(kind).get(round % 2), this.mode.latencySamples(), histogram);
				this.latencyCpuPerRoundTrip.get(kind)
					.add((this.cpu.clientNanos() - cpuStart) / 1e3 / this.mode.latencySamples());
				measuredThisRound.put(kind, histogram);
				this.latencies.get(kind).add(histogram);
			}
			double rawP99 = measuredThisRound.get("raw").getValueAtPercentile(99);
			double rawP50 = measuredThisRound.get("raw").getValueAtPercentile(50);
			for (String kind : KINDS) {
				this.addedP99.get(kind).add((measuredThisRound.get(kind).getValueAtPercentile(99) - rawP99) / 1e3);
				this.addedP50.get(kind).add((measuredThisRound.get(kind).getValueAtPercentile(50) - rawP50) / 1e3);
			}
			if ((round + 1) % 10 == 0 || round + 1 == this.mode.rounds()) {
				Bench.log("latency round " + (round + 1) + "/" + this.mode.rounds() + ": managed p99 - raw p99 "
						+ Stats.round(Stats.median(this.addedP99.get("managed")), 1) + " us so far (median)");
			}
		}
	}

	/**
	 * {@code samples} sequential echo round trips, each sent from the callback that
	 * received the previous.
	 */
	private static void pingPong(EchoClient client, int samples, Histogram histogram) throws InterruptedException {
		PingPong pingPong = new PingPong(client, samples, histogram);
		client.onText(pingPong);
		pingPong.sendNext();
		if (!pingPong.done.await(120, TimeUnit.SECONDS)) {
			throw new IllegalStateException(client.kind() + ": echo round trips did not complete");
		}
		client.onText((text) -> {
		});
	}

	/**
	 * Runs on the client's receiving thread: records a round trip and sends the next
	 * text.
	 */
	private static final class PingPong implements Consumer<String> {

		private final EchoClient client;

		private final Histogram histogram;

		private final CountDownLatch done = new CountDownLatch(1);

		private int remaining;

		private long sentAt;

		PingPong(EchoClient client, int samples, Histogram histogram) {
			this.client = client;
			this.histogram = histogram;
			this.remaining = samples;
		}

		void sendNext() {
			this.sentAt = System.nanoTime();
			this.client.send(PAYLOAD);
		}

		@Override
		public void accept(String text) {
			this.histogram.recordValue(System.nanoTime() - this.sentAt);
			if (--this.remaining > 0) {
				sendNext();
			}
			else {
				this.done.countDown();
			}
		}

	}

	private List<String> rotated(int round) {
		List<String> order = new ArrayList<>(KINDS);
		Collections.rotate(order, round);
		return order;
	}

	private Map<String, Object> results() {
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("cpu_ns_per_message_ratio", Stats.round(Stats.median(this.cpuRatios.get("managed")), 3));
		out.put("cpu_ns_per_message_ratio_p25_p75", Stats.quartiles(this.cpuRatios.get("managed"), 3));
		out.put("overhead_throughput_ratio", Stats.round(Stats.median(this.rateRatios.get("managed")), 3));
		out.put("overhead_throughput_ratio_p25_p75", Stats.quartiles(this.rateRatios.get("managed"), 3));
		out.put("added_latency_p50_us", Stats.round(Stats.median(this.addedP50.get("managed")), 1));
		out.put("added_latency_p50_us_p25_p75", Stats.quartiles(this.addedP50.get("managed"), 1));
		out.put("added_latency_p99_us", Stats.round(Stats.median(this.addedP99.get("managed")), 1));
		out.put("added_latency_p99_us_p25_p75", Stats.quartiles(this.addedP99.get("managed"), 1));
		out.put("latency_cpu_us_per_round_trip", perKindMedians(this.latencyCpuPerRoundTrip, 1));
		out.put("baseline_cpu_ns_per_message_ratio", Stats.round(Stats.median(this.cpuRatios.get("okhttp")), 3));
		out.put("baseline_overhead_throughput_ratio", Stats.round(Stats.median(this.rateRatios.get("okhttp")), 3));
		out.put("baseline_added_latency_p50_us", Stats.round(Stats.median(this.addedP50.get("okhttp")), 1));
		out.put("baseline_added_latency_p99_us", Stats.round(Stats.median(this.addedP99.get("okhttp")), 1));
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("payload_bytes", PAYLOAD.length());
		details.put("runtime", Bench.runtimeDescription());
		details.put("window_messages", WINDOW);
		details.put("server_threads_excluded_from_client_cpu", this.cpu.excludedThreads());
		details.put("sends_refused_by_the_client", this.rejectedSends);
		details.put("first_refusal", this.firstRejections);
		details.put("cpu", "client side = process CPU time (OperatingSystemMXBean.getProcessCpuTime) minus the "
				+ "in-process server's threads (ThreadMXBean.getThreadCpuTime of the cm-test* threads)");
		details.put("rounds", this.mode.rounds());
		details.put("round_ms_per_client", this.mode.roundMillis());
		details.put("warmup_seconds_per_client", this.mode.warmupSeconds());
		details.put("latency_samples_per_client_per_round", this.mode.latencySamples());
		details.put("clients", Map.of("raw", "NettyWebSocketTransport session used directly", "managed",
				"ManagedConnection, defaults (heartbeat 15 s/10 s, handler on the runtime's handler pool)",
				"managed_direct", "ManagedConnection with handlerExecutor(Runnable::run): handler on the event loop",
				"okhttp", "OkHttp WebSocket, pingInterval 15 s"));
		Map<String, Object> perKind = new LinkedHashMap<>();
		for (String kind : KINDS) {
			Map<String, Object> detail = new LinkedHashMap<>();
			detail.put("median_msgs_per_s", Math.round(Stats.median(this.rates.get(kind))));
			detail.put("throughput_ratio_to_raw_median", Stats.round(Stats.median(this.rateRatios.get(kind)), 3));
			detail.put("throughput_ratio_to_raw_p25_p75",
					List.of(Stats.round(Stats.percentile(this.rateRatios.get(kind), 25), 3),
							Stats.round(Stats.percentile(this.rateRatios.get(kind), 75), 3)));
			detail.put("median_client_cpu_ns_per_message",
					Math.round(Stats.median(this.clientCpuPerMessage.get(kind))));
			detail.put("client_cpu_per_message_ratio_to_raw_median",
					Stats.round(Stats.median(this.cpuRatios.get(kind)), 3));
			detail.put("client_cpu_per_message_ratio_to_raw_p25_p75", Stats.quartiles(this.cpuRatios.get(kind), 3));
			detail.put("median_process_cpu_ns_per_message", Math.round(Stats.median(this.cpuPerMessage.get(kind))));
			detail.put("process_cpu_per_message_ratio_to_raw_median",
					Stats.round(Stats.median(this.processCpuRatios.get(kind)), 3));
			detail.put("latency_us", latencySummary(this.latencies.get(kind)));
			detail.put("p99_minus_raw_p99_us_median", Stats.round(Stats.median(this.addedP99.get(kind)), 1));
			detail.put("p99_minus_raw_p99_us_p25_p75",
					List.of(Stats.round(Stats.percentile(this.addedP99.get(kind), 25), 1),
							Stats.round(Stats.percentile(this.addedP99.get(kind), 75), 1)));
			detail.put("p50_minus_raw_p50_us_median", Stats.round(Stats.median(this.addedP50.get(kind)), 1));
			detail.put("p50_minus_raw_p50_us_p25_p75", Stats.quartiles(this.addedP50.get(kind), 1));
			detail.put("p99_minus_raw_p99_us_all_rounds_pooled",
					Stats.round((this.latencies.get(kind).getValueAtPercentile(99)
							- this.latencies.get("raw").getValueAtPercentile(99)) / 1e3, 1));
			detail.put("throughput_msgs_per_s_per_round", Stats.rounded(this.rates.get(kind), 0));
			detail.put("throughput_ratio_to_raw_per_round", Stats.rounded(this.rateRatios.get(kind), 3));
			detail.put("p99_minus_raw_p99_us_per_round", Stats.rounded(this.addedP99.get(kind), 1));
			perKind.put(kind, detail);
		}
		details.put("per_client", perKind);
		out.put("details", details);
		return out;
	}

	private static Map<String, Object> perKindMedians(Map<String, List<Double>> values, int digits) {
		Map<String, Object> medians = new LinkedHashMap<>();
		values.forEach((kind, list) -> medians.put(kind, Stats.round(Stats.median(list), digits)));
		return medians;
	}

	Map<String, Histogram> latencies() {
		return this.latencies;
	}

	Map<String, List<Double>> rates() {
		return this.rates;
	}

	static Map<String, Object> latencySummary(Histogram histogram) {
		Map<String, Object> summary = new LinkedHashMap<>();
		summary.put("samples", histogram.getTotalCount());
		summary.put("p50", Stats.round(histogram.getValueAtPercentile(50) / 1e3, 1));
		summary.put("p90", Stats.round(histogram.getValueAtPercentile(90) / 1e3, 1));
		summary.put("p99", Stats.round(histogram.getValueAtPercentile(99) / 1e3, 1));
		summary.put("p99.9", Stats.round(histogram.getValueAtPercentile(99.9) / 1e3, 1));
		summary.put("max", Stats.round(histogram.getMaxValue() / 1e3, 1));
		return summary;
	}

}
