package io.connectionmanager.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.test.server.TestWebSocketServer;

/**
 * {@code compression: true} (permessage-deflate) against the same stream uncompressed: a
 * loopback server that deflates sends a repetitive JSON ticker stream (an exchange's
 * ticker: same keys, slowly changing numbers) to a managed connection, with and without
 * compression, in alternating rounds. Per message: bytes on the wire (counted at the
 * server's socket), client CPU time (the process less the server's threads) and wall-time
 * throughput.
 */
final class CompressionScenario {

	private static final String END = "end-of-stream";

	private final Mode mode;

	private final Map<Boolean, List<Double>> wireBytes = Map.of(false, new ArrayList<>(), true, new ArrayList<>());

	private final Map<Boolean, List<Double>> cpuNanos = Map.of(false, new ArrayList<>(), true, new ArrayList<>());

	private final Map<Boolean, List<Double>> perSecond = Map.of(false, new ArrayList<>(), true, new ArrayList<>());

	CompressionScenario(Mode mode) {
		this.mode = mode;
	}

	private int messages() {
		return this.mode.name().equals("full") ? 20_000 : 10_000;
	}

	private int rounds() {
		return this.mode.name().equals("full") ? 20 : 6;
	}

	/** A ticker message like an exchange's. */
	static String ticker(int sequence) {
		double price = 64_000 + (sequence % 500) * 0.37;
		return String.format(Locale.ROOT,
				"{\"type\":\"ticker\",\"product_id\":\"BTC-USD\",\"sequence\":%d,\"price\":\"%.2f\","
						+ "\"best_bid\":\"%.2f\",\"best_ask\":\"%.2f\",\"volume_24h\":\"%d.5521\","
						+ "\"side\":\"%s\",\"time\":\"2024-05-01T12:%02d:%02d.%06dZ\",\"trade_id\":%d}",
				sequence, price, price - 0.01, price + 0.01, 18_000 + sequence % 97,
				(sequence % 2 == 0) ? "buy" : "sell", (sequence / 60) % 60, sequence % 60, sequence % 1_000_000,
				700_000_000 + sequence);
	}

	Map<String, Object> run() throws Exception {
		int messages = messages();
		try (ConnectionRuntime runtime = ConnectionRuntime.create();
				TestWebSocketServer server = TestWebSocketServer.builder().compression().start()) {
			server.onText((connection, text) -> {
				for (int i = 0; i < messages; i++) {
					connection.sendText(ticker(i));
				}
				connection.sendText(END);
			});
			CpuClock clock = CpuClock.excludingThreadsNamed("cm-test-ws-server");
			stream(runtime, server, clock, false, false); // warm-up: JIT, buffers
			stream(runtime, server, clock, true, false);
			for (int round = 0; round < rounds(); round++) {
				boolean first = round % 2 == 0;
				stream(runtime, server, clock, first, true);
				stream(runtime, server, clock, !first, true);
			}
		}
		double plainWire = Stats.median(this.wireBytes.get(false));
		double deflateWire = Stats.median(this.wireBytes.get(true));
		Bench.log("compression: wire " + Stats.round(plainWire, 1) + " -> " + Stats.round(deflateWire, 1)
				+ " B/message, client CPU " + Stats.round(Stats.median(this.cpuNanos.get(false)), 0) + " -> "
				+ Stats.round(Stats.median(this.cpuNanos.get(true)), 0) + " ns/message");
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("compression_wire_ratio", Stats.round(deflateWire / plainWire, 3));
		out.put("compression_cpu_ns_per_message",
				Map.of("plain", Stats.round(Stats.median(this.cpuNanos.get(false)), 0), "deflate",
						Stats.round(Stats.median(this.cpuNanos.get(true)), 0)));
		out.put("compression_throughput_ratio",
				Stats.round(Stats.median(this.perSecond.get(true)) / Stats.median(this.perSecond.get(false)), 3));
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("stream",
				messages + " ticker messages of " + ticker(0).length()
						+ " B per run, from a loopback server with permessage-deflate; " + rounds()
						+ " alternating rounds of each (medians)");
		for (boolean deflate : List.of(false, true)) {
			String kind = deflate ? "deflate" : "plain";
			details.put(kind + "_wire_bytes_per_message", Stats.round(Stats.median(this.wireBytes.get(deflate)), 1));
			details.put(kind + "_client_cpu_ns_per_message", Stats.round(Stats.median(this.cpuNanos.get(deflate)), 0)
					+ " (p25-p75 " + Stats.quartiles(this.cpuNanos.get(deflate), 0) + ")");
			details.put(kind + "_messages_per_second", Stats.round(Stats.median(this.perSecond.get(deflate)), 0)
					+ " (p25-p75 " + Stats.quartiles(this.perSecond.get(deflate), 0) + ")");
		}
		out.put("details", details);
		return out;
	}

	private void stream(ConnectionRuntime runtime, TestWebSocketServer server, CpuClock clock, boolean deflate,
			boolean record) throws InterruptedException {
		int messages = messages();
		CountDownLatch ended = new CountDownLatch(1);
		ManagedConnection connection = ManagedConnection
			.builder(ConnectionSettings.builder("compression")
				.url(server.uri("/ticker").toString())
				.compression(deflate)
				.heartbeat(HeartbeatSettings.disabled())
				.build())
			.runtime(runtime)
			.handler(new ConnectionHandler() {
				@Override
				public void onMessage(Message message) {
					if (message instanceof Message.Text text && text.text().equals(END)) {
						ended.countDown();
					}
				}
			})
			.build();
		try {
			connection.connect();
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (connection.state() != ConnectionState.CONNECTED && System.nanoTime() < deadline) {
				Thread.sleep(2);
			}
			server.resetByteCounts();
			long cpuBefore = clock.clientNanos();
			long start = System.nanoTime();
			connection.send("stream");
			if (!ended.await(60, TimeUnit.SECONDS)) {
				throw new IllegalStateException("the " + (deflate ? "deflate" : "plain") + " stream did not end");
			}
			long wall = System.nanoTime() - start;
			long cpu = clock.clientNanos() - cpuBefore;
			if (record) {
				this.wireBytes.get(deflate).add((double) server.bytesSent() / (messages + 1));
				this.cpuNanos.get(deflate).add((double) cpu / (messages + 1));
				this.perSecond.get(deflate).add((messages + 1) * 1e9 / wall);
			}
		}
		finally {
			connection.close();
		}
	}

}
