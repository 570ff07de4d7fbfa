package io.connectionmanager.test.proxy;

import io.connectionmanager.test.server.TestLineServer;
import io.connectionmanager.test.server.TestWebSocketServer;
import io.connectionmanager.test.support.RecordingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import static io.connectionmanager.test.support.Clients.connect;
import static io.connectionmanager.test.support.Clients.readLine;
import static io.connectionmanager.test.support.Clients.socket;
import static io.connectionmanager.test.support.Clients.writeLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class FaultInjectingProxyTest {

	private static final Duration QUIET = Duration.ofMillis(500);

	private static final Duration LONG_ENOUGH = Duration.ofSeconds(5);

	private TestLineServer target;

	private FaultInjectingProxy proxy;

	@BeforeEach
	void start() {
		target = TestLineServer.start(TestLineServer.Framing.LINES, 64 * 1024);
		proxy = FaultInjectingProxy.start(target.port());
	}

	@AfterEach
	void stop() {
		proxy.close();
		target.close();
	}

	@Test
	void forwardsBothWays() throws Exception {
		try (Socket socket = socket(proxy.port())) {
			writeLine(socket, "hello");
			assertThat(readLine(socket)).isEqualTo("hello");
			assertThat(proxy.openConnections()).isEqualTo(1);
		}
		assertThat(proxy.connectionCount()).isEqualTo(1);
		assertThat(proxy.bytesForwarded()).isEqualTo(12);
		await().atMost(LONG_ENOUGH).until(() -> proxy.openConnections() == 0 && target.connections().isEmpty());
	}

	@Test
	void blackholeSwallowsBytesButKeepsSocketsOpenUntilHealed() throws Exception {
		try (Socket socket = socket(proxy.port())) {
			writeLine(socket, "hello");
			assertThat(readLine(socket)).isEqualTo("hello");

			proxy.blackhole();
			writeLine(socket, "lost");
			socket.setSoTimeout((int) QUIET.toMillis());
			assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
			assertThat(proxy.openConnections()).isEqualTo(1);
			assertThat(target.connections()).hasSize(1);

			proxy.heal();
			socket.setSoTimeout(5000);
			writeLine(socket, "again");
			assertThat(readLine(socket)).isEqualTo("again");
			assertThat(target.linesReceived()).isEqualTo(2);
		}
	}

	@Test
	void resetSendsRstToBothSides() throws Exception {
		try (Socket socket = socket(proxy.port())) {
			writeLine(socket, "hello");
			assertThat(readLine(socket)).isEqualTo("hello");

			proxy.reset();

			assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketException.class)
				.hasMessageContaining("reset");
			await().atMost(LONG_ENOUGH).until(() -> target.connections().isEmpty());
		}
	}

	@Test
	void cutClosesBothSidesGracefully() throws Exception {
		try (Socket socket = socket(proxy.port())) {
			writeLine(socket, "hello");
			assertThat(readLine(socket)).isEqualTo("hello");

			proxy.cut();

			assertThat(socket.getInputStream().read()).isEqualTo(-1);
			await().atMost(LONG_ENOUGH).until(() -> target.connections().isEmpty());
		}
	}

	@Test
	void delayAddsLatencyInBothDirectionsAndKeepsOrder() throws Exception {
		proxy.delay(Duration.ofMillis(200));
		try (Socket socket = socket(proxy.port())) {
			long start = System.nanoTime();
			for (int i = 0; i < 5; i++) {
				writeLine(socket, "line" + i);
			}
			for (int i = 0; i < 5; i++) {
				assertThat(readLine(socket)).isEqualTo("line" + i);
			}
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(390));
		}
	}

	@Test
	void throttleLimitsBandwidth() throws Exception {
		proxy.throttle(40_000);
		String big = "x".repeat(10_000);
		try (Socket socket = socket(proxy.port())) {
			long start = System.nanoTime();
			writeLine(socket, big);
			assertThat(readLine(socket)).isEqualTo(big);
			// 10 kB each way at 40 kB/s: at least 0.25 s per direction
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(450));
		}
	}

	@Test
	void corruptsTheNextBytesFromServerToClientOnly() throws Exception {
		proxy.corruptNextBytes(3);
		try (Socket socket = socket(proxy.port())) {
			writeLine(socket, "abcdef");
			byte[] reply = socket.getInputStream().readNBytes(7);

			assertThat(reply).containsExactly(~'a', ~'b', ~'c', 'd', 'e', 'f', '\n');
			assertThat(target.linesReceived()).isEqualTo(1); // the request reached the
																// server intact
			writeLine(socket, "clean");
			assertThat(readLine(socket)).isEqualTo("clean");
		}
	}

	@Test
	void probabilisticCorruptionIsReproducibleForASeed() throws Exception {
		String payload = "0123456789".repeat(50);
		byte[] first = echoThroughCorruptingProxy(payload);
		proxy.close();
		proxy = FaultInjectingProxy.start(target.port());
		byte[] second = echoThroughCorruptingProxy(payload);

		assertThat(first).isEqualTo(second);
		assertThat(first).isNotEqualTo((payload + "\n").getBytes(StandardCharsets.US_ASCII));
	}

	private byte[] echoThroughCorruptingProxy(String payload) throws IOException {
		try (Socket socket = socket(proxy.port())) {
			writeLine(socket, "warm-up");
			assertThat(readLine(socket)).isEqualTo("warm-up");
			proxy.corrupt(0.05, 42);
			writeLine(socket, payload);
			return socket.getInputStream().readNBytes(payload.length() + 1);
		}
	}

	@Test
	void resetByTheTargetReachesTheClientAsReset() throws Exception {
		try (Socket socket = socket(proxy.port())) {
			writeLine(socket, "hello");
			assertThat(readLine(socket)).isEqualTo("hello");

			target.kill();

			assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketException.class)
				.hasMessageContaining("reset");
		}
	}

	@Test
	void refusedConnectionsAreAcceptedThenReset() throws Exception {
		proxy.refuseNewConnections(true);
		try (Socket socket = socket(proxy.port())) {
			assertThatThrownBy(() -> {
				writeLine(socket, "anyone?");
				socket.getInputStream().read();
			}).isInstanceOf(SocketException.class);
		}
		assertThat(proxy.connectionCount()).isEqualTo(1);
		assertThat(target.connections()).isEmpty();

		proxy.heal();
		try (Socket socket = socket(proxy.port())) {
			writeLine(socket, "now");
			assertThat(readLine(socket)).isEqualTo("now");
		}
	}

	@Test
	void unreachableTargetResetsTheClient() throws Exception {
		target.kill();
		try (Socket socket = socket(proxy.port())) {
			assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketException.class);
		}
		assertThat(proxy.connectionCount()).isEqualTo(1);
	}

	@Test
	void killedProxyRestartsOnTheSamePort() throws Exception {
		int port = proxy.port();
		try (Socket socket = socket(port)) {
			writeLine(socket, "hi");
			assertThat(readLine(socket)).isEqualTo("hi");
			proxy.kill();
			assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketException.class);
		}
		await().atMost(LONG_ENOUGH).until(() -> target.connections().isEmpty());

		proxy.restart();

		try (Socket socket = socket(port)) {
			writeLine(socket, "back");
			assertThat(readLine(socket)).isEqualTo("back");
		}
	}

	@Test
	void doesNotBufferUnboundedlyWhenTheTargetStopsReading() throws Exception {
		target.freeze();
		long attempt = 256L * 1024 * 1024;
		AtomicLong written = new AtomicLong();
		try (Socket socket = socket(proxy.port())) {
			CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
				byte[] chunk = ("y".repeat(1023) + "\n").getBytes(StandardCharsets.US_ASCII);
				try {
					OutputStream out = socket.getOutputStream();
					while (written.get() < attempt) {
						out.write(chunk);
						written.addAndGet(chunk.length);
					}
				}
				catch (IOException closedByTest) {
					// expected once the test closes the socket
				}
			});

			await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> !writer.isDone());
			assertThat(written.get()).isLessThan(64L * 1024 * 1024);
		}
	}

	@Test
	void blackholedWebSocketLeavesPingsUnansweredButTcpOpen() {
		try (TestWebSocketServer ws = TestWebSocketServer.start();
				FaultInjectingProxy wsProxy = FaultInjectingProxy.start(ws.port())) {
			RecordingListener listener = new RecordingListener();
			WebSocket client = connect(URI.create("ws://127.0.0.1:" + wsProxy.port() + "/"), listener);
			client.sendText("through", true).join();
			assertThat(listener.nextText()).isEqualTo("through");

			wsProxy.blackhole();
			client.sendPing(ByteBuffer.wrap(new byte[] { 1 })).join();
			await().during(QUIET)
				.atMost(QUIET.multipliedBy(2))
				.until(() -> listener.pongs.isEmpty() && !listener.error.isDone() && !listener.closed.isDone());
			assertThat(ws.pingsReceived()).isZero();
			assertThat(ws.connections()).hasSize(1);

			wsProxy.heal();
			client.sendPing(ByteBuffer.wrap(new byte[] { 2 })).join();
			assertThat(listener.nextPong()).containsExactly(2);
		}
	}

}
