package io.connectionmanager.core.e2e;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.connectionmanager.core.ConnectionHandler;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.backoff.Jitter;
import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.config.InboundSettings;
import io.connectionmanager.core.config.ReconnectSettings;
import io.connectionmanager.core.config.TlsSettings;
import io.connectionmanager.core.event.StateChange;
import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.testing.RecordingListener;
import io.connectionmanager.core.transport.Message;
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

	@Test
	void aFrozenPeerIsDetectedWithinIntervalPlusTimeout() {
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
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.listener.heartbeatsMissed.isEmpty());
		long detectedAfterMillis = (System.nanoTime() - frozenAt) / 1_000_000;
		// The bound is interval + timeout from the last sign of life; 150 ms allow for
		// timer and CI scheduling.
		assertThat(detectedAfterMillis).isLessThanOrEqualTo(interval.plus(timeout).toMillis() + 150);
		assertThat(this.listener.states()).contains(RECONNECTING);
		assertThat(connection.snapshot().lastFailure().kind()).isIn(FailureKind.HEARTBEAT_TIMEOUT,
				FailureKind.CONNECT_TIMEOUT);
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

	@Test
	void theBreakerOpensMakesNoAttemptWhileOpenAndASuccessfulProbeClosesIt() {
		TestWebSocketServer server = server(TestWebSocketServer.start());
		server.rejectUpgrades(503);
		ManagedConnection connection = start(
				settings(server)
					.circuitBreaker(new CircuitBreakerSettings(true, 50, 3, 3, Duration.ofMillis(1500), 1, 0)),
				ConnectionHandler.NONE);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> connection.circuitBreaker().getState() == CircuitBreaker.State.OPEN);
		int attemptsWhenOpened = server.handshakeCount();
		assertThat(attemptsWhenOpened).isEqualTo(3);
		server.acceptUpgrades();
		await().during(Duration.ofMillis(1000))
			.atMost(Duration.ofMillis(1300))
			.until(() -> server.handshakeCount() == attemptsWhenOpened);
		awaitState(connection, CONNECTED);
		assertThat(server.handshakeCount()).isEqualTo(attemptsWhenOpened + 1);
		assertThat(connection.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
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
