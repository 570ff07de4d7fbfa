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
 * Keys 1 and 2: what a {@code ManagedConnection} costs over the raw transport it drives, with OkHttp measured the
 * same way as the baseline. One loopback server, one client JVM, all three clients open at once; every round runs
 * each client in turn (rotating the order), so that drift of a shared machine hits them alike.
 * <p>
 * Throughput: an application thread sends 64-byte texts as fast as the client takes them, with at most
 * {@value #WINDOW} messages sent but not yet counted by the server; the rate is the server's count of received
 * messages over the round. Latency: one text in flight, echoed by the server; the next is sent from the receive
 * callback, and every round trip goes into an HdrHistogram.
 */
final class OverheadScenario {

	static final String PAYLOAD = "x".repeat(64);

	private static final long WINDOW = 10_000;

	private static final List<String> KINDS = List.of("raw", "managed", "okhttp");

	private final Mode mode;

	private final Map<String, List<Double>> rates = new LinkedHashMap<>();

	private final Map<String, Histogram> latencies = new LinkedHashMap<>();

	private final List<Double> roundRatios = new ArrayList<>();

	private final List<Double> okhttpRoundRatios = new ArrayList<>();

	private final List<Double> roundAddedP99 = new ArrayList<>();

	OverheadScenario(Mode mode) {
		this.mode = mode;
	}

	Map<String, Object> run() throws Exception {
		try (TestWebSocketServer server = TestWebSocketServer.start();
				ConnectionRuntime runtime = ConnectionRuntime.create(1)) {
			URI uri = server.uri("/overhead");
			Map<String, EchoClient> clients = new LinkedHashMap<>();
			clients.put("raw", EchoClients.raw(uri, runtime));
			clients.put("managed", EchoClients.managed(uri, runtime));
			clients.put("okhttp", EchoClients.okhttp(uri));
			try {
				for (String kind : KINDS) {
					this.rates.put(kind, new ArrayList<>());
					this.latencies.put(kind, new Histogram(3));
				}
				measureThroughput(server, clients);
				measureLatency(server, clients);
			}
			finally {
				clients.values().forEach(EchoClient::close);
			}
		}
		return results();
	}

	private void measureThroughput(TestWebSocketServer server, Map<String, EchoClient> clients) {
		server.onText((connection, text) -> {
		});
		for (String kind : KINDS) {
			Bench.log("throughput warm-up: " + kind);
			rate(server, clients.get(kind), this.mode.warmupSeconds());
		}
		for (int round = 0; round < this.mode.rounds(); round++) {
			Map<String, Double> roundRates = new LinkedHashMap<>();
			for (String kind : rotated(round)) {
				double rate = rate(server, clients.get(kind), this.mode.roundSeconds());
				roundRates.put(kind, rate);
				this.rates.get(kind).add(rate);
			}
			this.roundRatios.add(roundRates.get("managed") / roundRates.get("raw"));
			this.okhttpRoundRatios.add(roundRates.get("okhttp") / roundRates.get("raw"));
			Bench.log("throughput round " + (round + 1) + ": " + format(roundRates));
		}
	}

	/** Messages per second counted by the server while {@code client} sends for {@code seconds}. */
	private static double rate(TestWebSocketServer server, EchoClient client, int seconds) {
		long base = server.textMessagesReceived();
		long sent = 0;
		long start = System.nanoTime();
		long end = start + TimeUnit.SECONDS.toNanos(seconds);
		while (System.nanoTime() - end < 0) {
			for (int i = 0; i < 64; i++) {
				client.send(PAYLOAD);
			}
			sent += 64;
			while (sent - (server.textMessagesReceived() - base) > WINDOW && System.nanoTime() - end < 0) {
				LockSupport.parkNanos(20_000);
			}
		}
		long received = server.textMessagesReceived() - base;
		double elapsedSeconds = (System.nanoTime() - start) / 1e9;
		long total = sent;
		// Drain before the next client starts, so that it does not pay for this one's backlog.
		Bench.await(() -> server.textMessagesReceived() - base >= total, Bench.ms(30_000));
		return received / elapsedSeconds;
	}

	private void measureLatency(TestWebSocketServer server, Map<String, EchoClient> clients) throws Exception {
		server.onText(null); // echo
		for (String kind : KINDS) {
			Bench.log("latency warm-up: " + kind);
			pingPong(clients.get(kind), this.mode.latencySamples(), new Histogram(3));
		}
		for (int round = 0; round < this.mode.rounds(); round++) {
			Map<String, Histogram> roundHistograms = new LinkedHashMap<>();
			for (String kind : rotated(round)) {
				Histogram histogram = new Histogram(3);
				pingPong(clients.get(kind), this.mode.latencySamples(), histogram);
				roundHistograms.put(kind, histogram);
				this.latencies.get(kind).add(histogram);
			}
			double added = (roundHistograms.get("managed").getValueAtPercentile(99)
					- roundHistograms.get("raw").getValueAtPercentile(99)) / 1e3;
			this.roundAddedP99.add(added);
			Bench.log("latency round " + (round + 1) + ": p99 us raw="
					+ roundHistograms.get("raw").getValueAtPercentile(99) / 1e3 + " managed="
					+ roundHistograms.get("managed").getValueAtPercentile(99) / 1e3 + " okhttp="
					+ roundHistograms.get("okhttp").getValueAtPercentile(99) / 1e3);
		}
	}

	/** {@code samples} sequential echo round trips, each sent from the callback that received the previous. */
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

	/** Runs on the client's receiving thread: records a round trip and sends the next text. */
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
		double ratio = Stats.median(this.roundRatios);
		double okhttpRatio = Stats.median(this.okhttpRoundRatios);
		double addedP99 = (p(this.latencies.get("managed"), 99) - p(this.latencies.get("raw"), 99)) / 1e3;
		double okhttpAddedP99 = (p(this.latencies.get("okhttp"), 99) - p(this.latencies.get("raw"), 99)) / 1e3;
		out.put("overhead_throughput_ratio", Stats.round(ratio, 3));
		out.put("added_latency_p99_us", Stats.round(addedP99, 1));
		out.put("baseline_overhead_throughput_ratio", Stats.round(okhttpRatio, 3));
		out.put("baseline_added_latency_p99_us", Stats.round(okhttpAddedP99, 1));
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("payload_bytes", PAYLOAD.length());
		details.put("window_messages", WINDOW);
		details.put("rounds", this.mode.rounds());
		details.put("round_seconds", this.mode.roundSeconds());
		details.put("warmup_seconds_per_client", this.mode.warmupSeconds());
		Map<String, Object> rateDetails = new LinkedHashMap<>();
		this.rates.forEach((kind, values) -> rateDetails.put(kind, Map.of("median_msgs_per_s",
				Math.round(Stats.median(values)), "rounds", Stats.rounded(values, 0))));
		details.put("throughput", rateDetails);
		details.put("throughput_ratio_per_round", Stats.rounded(this.roundRatios, 3));
		details.put("baseline_throughput_ratio_per_round", Stats.rounded(this.okhttpRoundRatios, 3));
		Map<String, Object> latencyDetails = new LinkedHashMap<>();
		this.latencies.forEach((kind, histogram) -> latencyDetails.put(kind, latencySummary(histogram)));
		details.put("latency_us", latencyDetails);
		details.put("added_latency_p99_us_per_round", Stats.rounded(this.roundAddedP99, 1));
		out.put("details", details);
		return out;
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
		summary.put("p50", Stats.round(p(histogram, 50) / 1e3, 1));
		summary.put("p90", Stats.round(p(histogram, 90) / 1e3, 1));
		summary.put("p99", Stats.round(p(histogram, 99) / 1e3, 1));
		summary.put("p99.9", Stats.round(p(histogram, 99.9) / 1e3, 1));
		summary.put("max", Stats.round(histogram.getMaxValue() / 1e3, 1));
		return summary;
	}

	private static double p(Histogram histogram, double percentile) {
		return histogram.getValueAtPercentile(percentile);
	}

	private static String format(Map<String, Double> rates) {
		StringBuilder out = new StringBuilder();
		rates.forEach((kind, rate) -> out.append(kind).append('=').append(Math.round(rate)).append(" msg/s "));
		return out.toString().trim();
	}

}
