package io.connectionmanager.core.e2e;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.backoff.Jitter;
import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.config.InboundSettings;
import io.connectionmanager.core.config.ReconnectSettings;
import io.connectionmanager.core.config.TlsSettings;
import io.connectionmanager.core.event.HeartbeatMissed;
import io.connectionmanager.core.event.StateChange;
import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.state.Trigger;
import io.connectionmanager.core.testing.RecordingListener;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.test.server.HandshakeRecord;
import io.connectionmanager.test.server.TestWebSocketServer;
import io.connectionmanager.test.tls.TestTls;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.connectionmanager.core.state.ConnectionState.CONNECTED;
import static io.connectionmanager.core.state.ConnectionState.DISCONNECTED;
import static io.connectionmanager.core.state.ConnectionState.FATAL;
import static io.connectionmanager.core.state.ConnectionState.RECONNECTING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine over the real Netty WebSocket transport, against a real server on loopback.
 */
class WebSocketEndToEndTests {

	private final ConnectionRuntime runtime = ConnectionRuntime.create(2);

	private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();

	private final RecordingListener listener = new RecordingListener();

	@AfterEach
	void release() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
		this.runtime.close();
	}

	private TestWebSocketServer server(TestWebSocketServer server) {
		this.resources.add(0, server);
		return server;
	}

	private static ConnectionSettings.Builder settings(TestWebSocketServer server) {
		return ConnectionSettings.builder("feed")
			.url(server.uri("/stream").toString())
			.connectTimeout(Duration.ofSeconds(2))
			.reconnect(new ReconnectSettings(Duration.ofMillis(50), Duration.ofMillis(200), 2.0, Jitter.FULL, -1,
					Duration.ofSeconds(30)))
			.heartbeat(HeartbeatSettings.disabled())
			.circuitBreaker(CircuitBreakerSettings.disabled());
	}

	private ManagedConnection start(ConnectionSettings.Builder settings, ConnectionHandler handler) {
		ManagedConnection connection = ManagedConnection.builder(settings.build())
			.runtime(this.runtime)
			.handler(handler)
			.listener(this.listener)
			.build();
		this.resources.add(0, connection);
		connection.connect();
		return connection;
	}

	private static void awaitState(ManagedConnection connection,
			io.connectionmanager.core.state.ConnectionState state) {
		await().atMost(Duration.ofSeconds(10)).until(connection::state, (current) -> current == state);
	}

	@Test
	void messagesFlowBothWays() {
		TestWebSocketServer server = server(TestWebSocketServer.start());
		List<String> received = new CopyOnWriteArrayList<>();
		ManagedConnection connection = start(settings(server), new ConnectionHandler() {
			@Override
			public void onMessage(Message message) {
				received.add(((Message.Text) message).text());
			}
		});
		awaitState(connection, CONNECTED);
		for (int i = 0; i < 100; i++) {
			connection.send("m" + i);
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 100);
		assertThat(received.get(0)).isEqualTo("m0");
		assertThat(received.get(99)).isEqualTo("m99");
		assertThat(connection.snapshot().messagesIn()).isEqualTo(100);
		assertThat(connection.snapshot().messagesOut()).isEqualTo(100);
	}

	@Test
	void aKilledPeerIsReconnectedWhenItReturns() {
		TestWebSocketServer server = server(TestWebSocketServer.start());
		ManagedConnection connection = start(settings(server), ConnectionHandler.NONE);
		awaitState(connection, CONNECTED);
		server.kill();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.listener.count(RECONNECTING) >= 1);
		StateChange lost = this.listener.changes.stream()
			.filter((change) -> change.current() == RECONNECTING)
			.findFirst()
			.orElseThrow();
		assertThat(lost.previous()).isEqualTo(CONNECTED);
		assertThat(lost.cause().kind()).isEqualTo(FailureKind.CONNECTION_LOST);
		server.restart();
		awaitState(connection, CONNECTED);
		assertThat(this.listener.count(CONNECTED)).isEqualTo(2);
		connection.send("after restart");
		await().atMost(Duration.ofSeconds(5)).until(() -> server.textMessagesReceived() == 1);
	}

	/**
	 * A frozen peer (socket open, nothing answered) is found by the heartbeat alone. The
	 * interval + timeout bound itself is checked exactly on virtual time
	 * ({@code ManagedConnectionTests}, {@code HeartbeatMonitorTests}); here, on a shared
	 * machine, the order of events and a generous bound.
	 */
	@Test
	void aFrozenPeerIsDetectedByTheHeartbeat() {
		TestWebSocketServer server = server(TestWebSocketServer.start());
		Duration interval = Duration.ofMillis(200);
		Duration timeout = Duration.ofMillis(200);
		ManagedConnection connection = start(settings(server).heartbeat(new HeartbeatSettings(true, interval, timeout)),
				ConnectionHandler.NONE);
		awaitState(connection, CONNECTED);
		await().atMost(Duration.ofSeconds(5)).until(() -> server.pingsReceived() >= 2);
		assertThat(connection.state()).isEqualTo(CONNECTED);
		long frozenAt = System.nanoTime();
		server.freeze();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.listener.count(RECONNECTING) >= 1);
		long detectedAfterMillis = (System.nanoTime() - frozenAt) / 1_000_000;
		assertThat(detectedAfterMillis).isLessThan(interval.plus(timeout).plusSeconds(3).toMillis());
		// The heartbeat, not anything else, ended the connection: the miss (after a full
		// timeout of silence) is reported first, then the transition it triggered.
		assertThat(this.listener.heartbeatsMissed).hasSize(1);
		HeartbeatMissed missed = this.listener.heartbeatsMissed.get(0);
		assertThat(missed.silence()).isGreaterThanOrEqualTo(timeout);
		StateChange lost = this.listener.changes.stream()
			.filter((change) -> change.current() == RECONNECTING)
			.findFirst()
			.orElseThrow();
		assertThat(lost.previous()).isEqualTo(CONNECTED);
		assertThat(lost.trigger()).isEqualTo(Trigger.HEARTBEAT_MISSED);
		assertThat(lost.cause().kind()).isEqualTo(FailureKind.HEARTBEAT_TIMEOUT);
		assertThat(lost.timestamp()).isAfterOrEqualTo(missed.timestamp());
		server.unfreeze();
		awaitState(connection, CONNECTED);
	}

	@Test
	void a503OnTheUpgradeIsRetriedWithJitteredCappedDelays() {
		TestWebSocketServer server = server(TestWebSocketServer.start());
		server.rejectUpgrades(503);
		ManagedConnection connection = start(settings(server), ConnectionHandler.NONE);
		await().atMost(Duration.ofSeconds(10)).until(() -> server.handshakeCount() >= 10);
		List<Long> delays = this.listener.changes.stream()
			.map(StateChange::retryIn)
			.filter(java.util.Objects::nonNull)
			.map(Duration::toMillis)
			.toList();
		assertThat(delays).hasSizeGreaterThanOrEqualTo(9).allMatch((delay) -> delay >= 0 && delay <= 200);
		assertThat(delays.stream().distinct().count()).isGreaterThan(3);
		assertThat(connection.snapshot().lastFailure().httpStatus()).isEqualTo(503);
		assertThat(connection.state()).isNotIn(FATAL, CONNECTED);
		server.acceptUpgrades();
		awaitState(connection, CONNECTED);
	}

	@Test
	void a401OnTheUpgradeIsFatalAndNeverRetried() {
		TestWebSocketServer server = server(TestWebSocketServer.start());
		server.rejectUpgrades(401);
		ManagedConnection connection = start(settings(server), ConnectionHandler.NONE);
		awaitState(connection, FATAL);
		assertThat(connection.snapshot().lastFailure().httpStatus()).isEqualTo(401);
		await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> server.handshakeCount() == 1);
		server.acceptUpgrades();
		connection.reconnect();
		awaitState(connection, CONNECTED);
	}

	/**
	 * No attempt while the breaker is open: the probe reaches the server no sooner than
	 * the open-state wait after the failure that opened it (a lower bound, which a slow
	 * machine cannot break), and it is the only attempt in between.
	 */
	@Test
	void theBreakerOpensMakesNoAttemptWhileOpenAndASuccessfulProbeClosesIt() {
		TestWebSocketServer server = server(TestWebSocketServer.start());
		server.rejectUpgrades(503);
		Duration wait = Duration.ofMillis(1500);
		ManagedConnection connection = start(
				settings(server).circuitBreaker(new CircuitBreakerSettings(true, 50, 3, 3, wait, 1, 0.0)),
				ConnectionHandler.NONE);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> connection.circuitBreaker().getState() == CircuitBreaker.State.OPEN);
		assertThat(server.handshakeCount()).isEqualTo(3);
		server.acceptUpgrades();
		awaitState(connection, CONNECTED);
		List<HandshakeRecord> handshakes = server.handshakes();
		assertThat(handshakes).hasSize(4);
		long probeAfterMillis = (handshakes.get(3).nanoTime() - handshakes.get(2).nanoTime()) / 1_000_000;
		assertThat(probeAfterMillis).as("ms from the failure that opened the breaker to the probe")
			.isGreaterThanOrEqualTo(wait.toMillis());
		assertThat(connection.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		assertThat(this.listener.changes).filteredOn((change) -> change.trigger() == Trigger.CIRCUIT_HALF_OPEN)
			.hasSize(1);
	}

	@Test
	void handshakeHeadersAndSubprotocolsAreSent() {
		TestWebSocketServer server = server(TestWebSocketServer.builder().subprotocols("v2.feed").start());
		server.requireHeader("Authorization", "Bearer t0ken");
		ManagedConnection connection = start(settings(server).header("Authorization", "Bearer t0ken")
			.header("X-Client", "cm")
			.subprotocols(List.of("v2.feed")), ConnectionHandler.NONE);
		awaitState(connection, CONNECTED);
		assertThat(server.handshakes().get(0).header("X-Client")).isEqualTo("cm");
		assertThat(server.handshakes().get(0).subprotocol()).isEqualTo("v2.feed");
	}

	@Test
	void aMessageOverTheMaximumSizeFailsTheConnectionAndItRecovers() {
		TestWebSocketServer server = server(TestWebSocketServer.start());
		ManagedConnection connection = start(settings(server).inbound(new InboundSettings(1024, 100, 1024 * 1024)),
				ConnectionHandler.NONE);
		awaitState(connection, CONNECTED);
		server.broadcastText("x".repeat(4096));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.listener.count(RECONNECTING) >= 1);
		assertThat(this.listener.changes.stream()
			.filter((change) -> change.current() == RECONNECTING)
			.findFirst()
			.orElseThrow()
			.cause()
			.kind()).isEqualTo(FailureKind.MESSAGE_TOO_LARGE);
		awaitState(connection, CONNECTED);
	}

	@Test
	void closeCodesAreClassified() {
		TestWebSocketServer server = server(TestWebSocketServer.start());
		ManagedConnection connection = start(settings(server), ConnectionHandler.NONE);
		awaitState(connection, CONNECTED);
		server.closeAll(1012, "service restart");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.listener.count(RECONNECTING) == 1);
		awaitState(connection, CONNECTED);
		server.closeAll(1008, "policy violation");
		awaitState(connection, FATAL);
		assertThat(connection.snapshot().lastFailure().closeCode()).isEqualTo(1008);
	}

	@Test
	void disconnectSendsANormalClosureAndCloseSendsGoingAway() throws Exception {
		TestWebSocketServer server = server(TestWebSocketServer.start());
		ManagedConnection connection = start(settings(server), ConnectionHandler.NONE);
		awaitState(connection, CONNECTED);
		connection.disconnect().get();
		assertThat(connection.state()).isEqualTo(DISCONNECTED);
		await().atMost(Duration.ofSeconds(2)).until(() -> server.closeCodesReceived().equals(List.of(1000)));
		connection.connect();
		awaitState(connection, CONNECTED);
		connection.close();
		await().atMost(Duration.ofSeconds(2)).until(() -> server.closeCodesReceived().equals(List.of(1000, 1001)));
		await().atMost(Duration.ofSeconds(2)).until(() -> server.connections().isEmpty());
	}

	@Test
	void tlsVerifiesCertificatesAndHostNamesByDefault() {
		TestWebSocketServer trusted = server(TestWebSocketServer.builder().tls().start());
		TlsSettings trustStore = new TlsSettings(TestTls.trustStorePath(), TestTls.trustStorePassword(),
				TestTls.trustStoreType(), true, null);
		ManagedConnection verified = start(settings(trusted).tls(trustStore), ConnectionHandler.NONE);
		awaitState(verified, CONNECTED);

		ManagedConnection untrusted = start(settings(trusted), ConnectionHandler.NONE);
		awaitState(untrusted, FATAL);
		assertThat(untrusted.snapshot().lastFailure().kind()).isEqualTo(FailureKind.CERTIFICATE);

		TestWebSocketServer wrongHost = server(TestWebSocketServer.builder().tlsWithWrongHostname().start());
		ManagedConnection mismatched = start(settings(wrongHost).tls(trustStore), ConnectionHandler.NONE);
		awaitState(mismatched, FATAL);
		assertThat(mismatched.snapshot().lastFailure().kind()).isEqualTo(FailureKind.CERTIFICATE);
	}

}
