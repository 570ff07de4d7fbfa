package io.connectionmanager.core.delivery;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.connectionmanager.core.handler.ApplicationHeartbeat;
import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.backoff.Jitter;
import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.Framing;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.config.InboundSettings;
import io.connectionmanager.core.config.ReconnectSettings;
import io.connectionmanager.core.config.TlsSettings;
import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.testing.RecordingListener;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.test.server.TestLineServer;
import io.connectionmanager.test.tls.TestTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * tcp:// and tls:// with line and length-prefixed framing, and what hostile framing does
 * (nothing bad).
 */
class TcpTransportTests {

	private final ConnectionRuntime runtime = ConnectionRuntime.create(1);

	private final RecordingListener listener = new RecordingListener();

	private final List<Message> received = new CopyOnWriteArrayList<>();

	@AfterEach
	void release() {
		this.runtime.close();
	}

	private ManagedConnection connect(ConnectionSettings.Builder settings, ConnectionHandler handler) {
		ManagedConnection connection = ManagedConnection
			.builder(
					settings
						.reconnect(new ReconnectSettings(Duration.ofMillis(20), Duration.ofMillis(100), 2.0,
								Jitter.FULL, -1, Duration.ofSeconds(30)))
						.circuitBreaker(CircuitBreakerSettings.disabled())
						.build())
			.runtime(this.runtime)
			.handler(handler)
			.listener(this.listener)
			.build();
		connection.connect();
		return connection;
	}

	private ConnectionHandler collecting() {
		return new ConnectionHandler() {
			@Override
			public void onMessage(Message message) {
				TcpTransportTests.this.received.add(message);
			}
		};
	}

	@Test
	void linesFlowBothWaysAndAKilledServerIsReconnected() {
		try (TestLineServer server = TestLineServer.start()) {
			ManagedConnection connection = connect(ConnectionSettings.builder("lines")
				.url("tcp://127.0.0.1:" + server.port())
				.framing(Framing.LINES)
				.heartbeat(HeartbeatSettings.disabled()), collecting());
			await().atMost(Duration.ofSeconds(5)).until(() -> connection.state() == ConnectionState.CONNECTED);
			connection.send("hello");
			await().atMost(Duration.ofSeconds(5)).until(() -> this.received.contains(Message.text("hello")));
			server.kill();
			await().atMost(Duration.ofSeconds(5)).until(() -> this.listener.count(ConnectionState.RECONNECTING) > 0);
			server.restart();
			await().atMost(Duration.ofSeconds(5)).until(() -> connection.state() == ConnectionState.CONNECTED);
			connection.send("again");
			await().atMost(Duration.ofSeconds(5)).until(() -> this.received.contains(Message.text("again")));
			connection.close();
		}
	}

	@Test
	void lengthPrefixedFramesCarryBytes() {
		try (TestLineServer server = TestLineServer.start(TestLineServer.Framing.LENGTH_PREFIXED, 4096)) {
			ManagedConnection connection = connect(ConnectionSettings.builder("frames")
				.url("tcp://127.0.0.1:" + server.port())
				.framing(Framing.LENGTH_PREFIXED)
				.heartbeat(HeartbeatSettings.disabled()), collecting());
			await().atMost(Duration.ofSeconds(5)).until(() -> connection.state() == ConnectionState.CONNECTED);
			connection.send("ping\nwith newline".getBytes(StandardCharsets.UTF_8));
			await().atMost(Duration.ofSeconds(5)).until(() -> this.received.size() == 1);
			assertThat(new String(((Message.Binary) this.received.get(0)).data(), StandardCharsets.UTF_8))
				.isEqualTo("ping\nwith newline");
			connection.close();
		}
	}

	@Test
	void tlsOverTcpVerifiesTheCertificate() {
		try (TestLineServer server = TestLineServer.start(TestLineServer.Framing.LINES, 4096,
				TestTls.serverContext(true))) {
			ManagedConnection trusted = connect(ConnectionSettings.builder("tls")
				.url("tls://localhost:" + server.port())
				.framing(Framing.LINES)
				.heartbeat(HeartbeatSettings.disabled())
				.tls(new TlsSettings(TestTls.trustStorePath(), TestTls.trustStorePassword(), TestTls.trustStoreType(),
						true, null)),
					collecting());
			await().atMost(Duration.ofSeconds(5)).until(() -> trusted.state() == ConnectionState.CONNECTED);
			trusted.send("secure");
			await().atMost(Duration.ofSeconds(5)).until(() -> this.received.contains(Message.text("secure")));

			ManagedConnection untrusted = connect(ConnectionSettings.builder("tls-untrusted")
				.url("tls://localhost:" + server.port())
				.framing(Framing.LINES)
				.heartbeat(HeartbeatSettings.disabled()), ConnectionHandler.NONE);
			await().atMost(Duration.ofSeconds(5)).until(() -> untrusted.state() == ConnectionState.FATAL);
			assertThat(untrusted.snapshot().lastFailure().kind()).isEqualTo(FailureKind.CERTIFICATE);
			trusted.close();
			untrusted.close();
		}
	}

	@Test
	void anApplicationHeartbeatDetectsASilentTcpPeer() {
		try (TestLineServer server = TestLineServer.start()) {
			server.onLine((peer, line) -> {
				if (line.equals("PING")) {
					peer.send("PONG");
				}
			});
			ManagedConnection connection = connect(
					ConnectionSettings.builder("hb")
						.url("tcp://127.0.0.1:" + server.port())
						.framing(Framing.LINES)
						.heartbeat(new HeartbeatSettings(true, Duration.ofMillis(100), Duration.ofMillis(200))),
					new ConnectionHandler() {
						@Override
						public ApplicationHeartbeat applicationHeartbeat() {
							return new ApplicationHeartbeat() {
								@Override
								public Message ping() {
									return Message.text("PING");
								}

								@Override
								public boolean isPong(Message message) {
									return message.equals(Message.text("PONG"));
								}
							};
						}
					});
			await().atMost(Duration.ofSeconds(5)).until(() -> connection.snapshot().heartbeatRoundTrip() != null);
			server.freeze();
			await().atMost(Duration.ofSeconds(5)).until(() -> !this.listener.heartbeatsMissed.isEmpty());
			server.unfreeze();
			await().atMost(Duration.ofSeconds(5)).until(() -> connection.state() == ConnectionState.CONNECTED);
			connection.close();
		}
	}

	@Test
	void anOversizedLineIsAClassifiedFailureNotAnOutOfMemoryError() throws Exception {
		try (HostilePeer peer = new HostilePeer((out) -> {
			byte[] chunk = new byte[64 * 1024];
			java.util.Arrays.fill(chunk, (byte) 'a');
			for (int i = 0; i < 64; i++) { // 4 MiB without a newline, against a 1 KiB
											// limit
				out.write(chunk);
			}
		})) {
			ManagedConnection connection = connect(ConnectionSettings.builder("oversized")
				.url("tcp://127.0.0.1:" + peer.port())
				.framing(Framing.LINES)
				.heartbeat(HeartbeatSettings.disabled())
				.inbound(new InboundSettings(1024, 100, 64 * 1024)), collecting());
			await().atMost(Duration.ofSeconds(5)).until(() -> firstLossKind() != null);
			assertThat(firstLossKind()).isEqualTo(FailureKind.MESSAGE_TOO_LARGE);
			assertThat(this.received).isEmpty();
			connection.close();
		}
	}

	/**
	 * The 4-byte length is unsigned: a "negative" prefix reads as a ~4 GiB frame, refused
	 * before buffering.
	 */
	@Test
	void malformedLengthPrefixesAreClassifiedFailures() throws Exception {
		try (HostilePeer negative = new HostilePeer((out) -> out.write(new byte[] { (byte) 0xFF, 0, 0, 0, 1, 2 }));
				HostilePeer huge = new HostilePeer(
						(out) -> out.write(new byte[] { 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1 }))) {
			ManagedConnection first = connect(ConnectionSettings.builder("negative")
				.url("tcp://127.0.0.1:" + negative.port())
				.framing(Framing.LENGTH_PREFIXED)
				.heartbeat(HeartbeatSettings.disabled()), collecting());
			await().atMost(Duration.ofSeconds(5)).until(() -> firstLossKind() != null);
			assertThat(firstLossKind()).isEqualTo(FailureKind.MESSAGE_TOO_LARGE);
			assertThat(first.snapshot().lastFailure().message()).contains("exceeds");
			first.close();
			this.listener.changes.clear();

			ManagedConnection second = connect(ConnectionSettings.builder("huge")
				.url("tcp://127.0.0.1:" + huge.port())
				.framing(Framing.LENGTH_PREFIXED)
				.heartbeat(HeartbeatSettings.disabled()), collecting());
			await().atMost(Duration.ofSeconds(5)).until(() -> firstLossKind() != null);
			assertThat(firstLossKind()).isEqualTo(FailureKind.MESSAGE_TOO_LARGE);
			assertThat(this.received).isEmpty();
			second.close();
		}
	}

	private FailureKind firstLossKind() {
		return this.listener.changes.stream()
			.filter((change) -> change.previous() == ConnectionState.CONNECTED)
			.findFirst()
			.map((change) -> change.cause().kind())
			.orElse(null);
	}

	/**
	 * A real loopback peer that writes raw bytes to whoever connects, then keeps the
	 * socket open.
	 */
	private static final class HostilePeer implements AutoCloseable {

		interface Payload {

			void writeTo(OutputStream out) throws IOException;

		}

		private final ServerSocket socket;

		private final Thread acceptor;

		private final List<Socket> accepted = new CopyOnWriteArrayList<>();

		HostilePeer(Payload payload) throws IOException {
			this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
			this.acceptor = new Thread(() -> {
				while (!this.socket.isClosed()) {
					try {
						Socket client = this.socket.accept();
						this.accepted.add(client);
						payload.writeTo(client.getOutputStream());
						client.getOutputStream().flush();
					}
					catch (IOException ex) {
						// closed, or the client hung up mid-write: both are expected here
					}
				}
			}, "hostile-peer");
			this.acceptor.setDaemon(true);
			this.acceptor.start();
		}

		int port() {
			return this.socket.getLocalPort();
		}

		@Override
		public void close() throws Exception {
			this.socket.close();
			for (Socket client : this.accepted) {
				client.close();
			}
			this.acceptor.join(5000);
		}

	}

}
