package io.connectionmanager.core.reach;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.testing.Measurements;
import io.connectionmanager.test.server.HandshakeRecord;
import io.connectionmanager.test.server.TestWebSocketServer;
import io.connectionmanager.test.server.TickerMessages;
import org.junit.jupiter.api.Test;

import static io.connectionmanager.core.state.ConnectionState.CONNECTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * permessage-deflate against a real server: negotiated when both sides want it, declined
 * gracefully, and measured at the server's socket for a repetitive JSON stream (the bytes
 * and the client's CPU per message go to {@code target/measurements.txt}).
 */
class CompressionTests extends ReachTesting {

	private static final int MESSAGES = 20_000;

	private static final String END = "end-of-stream";

	static String ticker(int sequence) {
		return TickerMessages.ticker(sequence);
	}

	private TestWebSocketServer streamingServer(boolean compression) {
		TestWebSocketServer.Builder builder = TestWebSocketServer.builder();
		TestWebSocketServer server = closeLater((compression ? builder.compression() : builder).start());
		server.onText((connection, text) -> {
			if (text.equals("stream")) {
				for (int i = 0; i < MESSAGES; i++) {
					connection.sendText(ticker(i));
				}
				connection.sendText(END);
			}
			else {
				connection.sendText(text);
			}
		});
		return server;
	}

	private record Run(long wireBytes, long payloadBytes, long clientCpuNanos, long wallNanos, String extensions) {

		double wireBytesPerMessage() {
			return (double) this.wireBytes / MESSAGES;
		}

		double clientCpuMicrosPerMessage() {
			return this.clientCpuNanos / 1000.0 / MESSAGES;
		}

	}

	private Run stream(TestWebSocketServer server, boolean compression) {
		this.received.clear();
		ManagedConnection connection = start(settings(server.uri("/ticker").toString()).compression(compression));
		awaitState(connection, CONNECTED);
		HandshakeRecord handshake = server.handshakes().get(server.handshakeCount() - 1);
		server.resetByteCounts();
		long cpuBefore = clientCpuNanos();
		long start = System.nanoTime();
		connection.send("stream");
		await().atMost(Duration.ofSeconds(60)).until(() -> this.received.contains(END));
		long wall = System.nanoTime() - start;
		Run run = new Run(server.bytesSent(), payloadBytes(), clientCpuNanos() - cpuBefore, wall,
				handshake.header("Sec-WebSocket-Extensions"));
		assertThat(this.received).hasSize(MESSAGES + 1);
		assertThat(this.received.get(0)).isEqualTo(ticker(0));
		assertThat(this.received.get(MESSAGES - 1)).isEqualTo(ticker(MESSAGES - 1));
		connection.disconnect().join();
		return run;
	}

	private static long payloadBytes() {
		long total = 0;
		for (int i = 0; i < MESSAGES; i++) {
			total += ticker(i).length();
		}
		return total;
	}

	/** CPU of the client's threads (event loops and handler pool) so far. */
	private static long clientCpuNanos() {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		return Arrays.stream(threads.dumpAllThreads(false, false))
			.filter((thread) -> thread.getThreadName().startsWith("connection-manager"))
			.mapToLong((thread) -> Math.max(0, threads.getThreadCpuTime(thread.getThreadId())))
			.sum();
	}

	@Test
	void compressionShrinksARepetitiveJsonStreamOnTheWire() {
		TestWebSocketServer server = streamingServer(true);
		stream(server, true); // warm-up: JIT and buffers, so neither measured run pays
								// for them
		Run plain = stream(server, false);
		Run compressed = stream(server, true);
		assertThat(plain.extensions()).isNull();
		assertThat(compressed.extensions()).contains("permessage-deflate");
		assertThat(plain.wireBytes()).isGreaterThan(plain.payloadBytes());
		// a ticker stream deflates several times over; a quarter is a safe bound
		assertThat(compressed.wireBytes()).isLessThan(plain.wireBytes() / 4);
		Measurements.record("CompressionTests.repetitiveJsonStream",
				Map.of("messages", MESSAGES, "payloadBytesPerMessage", plain.payloadBytes() / MESSAGES,
						"plainWireBytesPerMessage", round(plain.wireBytesPerMessage()), "deflateWireBytesPerMessage",
						round(compressed.wireBytesPerMessage()), "wireRatio",
						round((double) compressed.wireBytes() / plain.wireBytes()), "plainClientCpuMicrosPerMessage",
						round(plain.clientCpuMicrosPerMessage()), "deflateClientCpuMicrosPerMessage",
						round(compressed.clientCpuMicrosPerMessage()), "plainWallMillis", plain.wallNanos() / 1_000_000,
						"deflateWallMillis", compressed.wallNanos() / 1_000_000));
	}

	@Test
	void aServerThatDeclinesCompressionIsUsedUncompressed() {
		TestWebSocketServer server = streamingServer(false);
		ManagedConnection connection = start(settings(server.uri("/ticker").toString()).compression(true));
		awaitState(connection, CONNECTED);
		assertThat(server.handshakes().get(0).header("Sec-WebSocket-Extensions")).contains("permessage-deflate");
		assertEchoes(connection, ticker(1));
		connection.disconnect().join();
		Run run = stream(server, true);
		assertThat(run.wireBytes()).isGreaterThan(run.payloadBytes());
	}

	@Test
	void whatTheClientSendsIsCompressedToo() {
		TestWebSocketServer server = streamingServer(true);
		ManagedConnection connection = start(settings(server.uri("/ticker").toString()).compression(true));
		awaitState(connection, CONNECTED);
		server.resetByteCounts();
		long payload = 0;
		for (int i = 0; i < 1000; i++) {
			connection.send(ticker(i));
			payload += ticker(i).length();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> this.received.size() == 1000);
		// intact after inflating; the order of sends is the outbound path's business
		assertThat(this.received).containsExactlyInAnyOrderElementsOf(
				java.util.stream.IntStream.range(0, 1000).mapToObj(CompressionTests::ticker).toList());
		assertThat(server.bytesReceived()).isLessThan(payload / 4);
	}

	private static double round(double value) {
		return Math.round(value * 100) / 100.0;
	}

}
