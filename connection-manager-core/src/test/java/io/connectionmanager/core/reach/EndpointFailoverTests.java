package io.connectionmanager.core.reach;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.backoff.Jitter;
import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.EndpointSelection;
import io.connectionmanager.core.config.InvalidConnectionSettingException;
import io.connectionmanager.core.config.ReconnectSettings;
import io.connectionmanager.core.event.ConnectionRotated;
import io.connectionmanager.core.event.StateChange;
import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.testing.Measurements;
import io.connectionmanager.core.transport.TestDnsServer;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Several {@code urls}: a failed attempt moves to the next endpoint at once, only a
 * failed round counts for the backoff and the breaker, {@code ordered} fails back to the
 * primary without an outage, {@code random} spreads connections, and a name's addresses
 * are all tried within one attempt. Real servers on loopback.
 */
class EndpointFailoverTests extends ReachTesting {

	/** Slow backoff and a breaker that opens on the first recorded failure. */
	private static ConnectionSettings.Builder twoEndpoints(String primary, String backup) {
		return settings(primary).url(null)
			.urls(List.of(primary, backup))
			.reconnect(new ReconnectSettings(Duration.ofSeconds(20), Duration.ofSeconds(30), 2.0, Jitter.NONE, -1,
					Duration.ofSeconds(30)))
			.circuitBreaker(new CircuitBreakerSettings(true, 50, 1, 10, Duration.ofSeconds(60), 1));
	}

	private TestWebSocketServer deadServer() {
		TestWebSocketServer server = closeLater(TestWebSocketServer.start());
		server.kill();
		return server;
	}

	@Test
	void aDeadPrimaryFailsOverToTheBackupInOneRoundWithoutBackoffOrBreakerFailure() {
		TestWebSocketServer primary = deadServer();
		TestWebSocketServer backup = closeLater(TestWebSocketServer.start());
		ManagedConnection connection = start(
				twoEndpoints(primary.uri("/feed").toString(), backup.uri("/feed").toString()));
		// With a 20 s backoff, anything but an immediate move to the backup misses this.
		awaitState(connection, ConnectionState.CONNECTED);
		assertThat(backup.handshakeCount()).isEqualTo(1);
		assertThat(connection.snapshot().circuitBreakerState()).isEqualTo("CLOSED");
		assertThat(connection.snapshot().endpoint()).isEqualTo("ws://127.0.0.1:" + backup.port());
		StateChange moved = this.listener.changes.stream()
			.filter((change) -> change.current() == ConnectionState.RECONNECTING)
			.findFirst()
			.orElseThrow();
		assertThat(moved.retryIn()).isEqualTo(Duration.ZERO);
		assertThat(this.listener.changes).filteredOn((change) -> change.current() == ConnectionState.CONNECTING)
			.extracting(StateChange::endpoint)
			.containsExactly("ws://127.0.0.1:" + primary.port(), "ws://127.0.0.1:" + backup.port());
	}

	@Test
	void aFailedRoundCountsOnceForTheBreakerAndBacksOff() {
		TestWebSocketServer first = deadServer();
		TestWebSocketServer second = deadServer();
		ManagedConnection connection = start(twoEndpoints(first.uri("/").toString(), second.uri("/").toString())
			.circuitBreaker(new CircuitBreakerSettings(true, 50, 3, 10, Duration.ofSeconds(60), 1)));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.listener.changes.stream()
				.anyMatch((change) -> change.retryIn() != null && change.retryIn().toSeconds() >= 20));
		assertThat(this.listener.changes).filteredOn((change) -> change.current() == ConnectionState.RECONNECTING)
			.extracting(StateChange::retryIn)
			.containsExactly(Duration.ZERO, Duration.ofSeconds(20));
		assertThat(connection.snapshot().totalAttempts()).isEqualTo(2);
		// one failed round recorded, below the breaker's minimum of 3 calls
		assertThat(connection.snapshot().circuitBreakerState()).isEqualTo("CLOSED");
	}

	@Test
	void orderedFailsBackToThePrimaryWithoutAnOutageOnceItIsBack() {
		TestWebSocketServer primary = deadServer();
		TestWebSocketServer backup = closeLater(TestWebSocketServer.start());
		ManagedConnection connection = start(
				twoEndpoints(primary.uri("/feed").toString(), backup.uri("/feed").toString())
					.endpointFailbackAfter(Duration.ofMillis(500)));
		awaitState(connection, ConnectionState.CONNECTED);
		// the primary is still down at the first failbacks (every 500 ms): the connection
		// stays on the backup, undisturbed
		await().during(Duration.ofMillis(1500))
			.atMost(Duration.ofSeconds(5))
			.until(() -> connection.state() == ConnectionState.CONNECTED && this.listener.rotations.isEmpty());
		primary.restart();
		await().atMost(Duration.ofSeconds(15)).until(() -> !this.listener.rotations.isEmpty());
		ConnectionRotated failback = this.listener.rotations.get(0);
		assertThat(failback.reason()).isEqualTo(ConnectionRotated.Reason.FAILBACK);
		assertThat(failback.endpoint()).isEqualTo("ws://127.0.0.1:" + primary.port());
		assertThat(connection.snapshot().endpoint()).isEqualTo("ws://127.0.0.1:" + primary.port());
		assertThat(connection.state()).isEqualTo(ConnectionState.CONNECTED);
		await().atMost(Duration.ofSeconds(10)).until(() -> backup.closeCodesReceived().contains(1000));
		// CONNECTING, RECONNECTING, CONNECTING, AUTHENTICATING, CONNECTED: nothing after
		assertThat(this.listener.states()).endsWith(ConnectionState.CONNECTED)
			.filteredOn((state) -> state == ConnectionState.CONNECTED)
			.hasSize(1);
		assertEchoes(connection, "on the primary");
		assertThat(primary.textMessagesReceived()).isEqualTo(1);
	}

	@Test
	void randomSpreadsAThousandConnectionsOverTwoEndpoints() {
		TestWebSocketServer a = closeLater(TestWebSocketServer.start());
		TestWebSocketServer b = closeLater(TestWebSocketServer.start());
		List<ManagedConnection> connections = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			connections.add(
					closeLater(ManagedConnection
						.builder(ConnectionSettings.builder("spread-" + i)
							.urls(List.of(a.uri("/").toString(), b.uri("/").toString()))
							.endpointSelection(EndpointSelection.RANDOM)
							.heartbeat(io.connectionmanager.core.config.HeartbeatSettings.disabled())
							.build())
						.runtime(this.runtime)
						.handler(ConnectionHandler.NONE)
						.build()));
		}
		connections.forEach(ManagedConnection::connect);
		await().atMost(Duration.ofSeconds(60)).until(() -> a.handshakeCount() + b.handshakeCount() >= 1000);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> connections.stream().allMatch((c) -> c.state() == ConnectionState.CONNECTED));
		Measurements.record("random-endpoints-1000",
				java.util.Map.of("first", a.handshakeCount(), "second", b.handshakeCount()));
		assertThat(a.handshakeCount()).isBetween(450, 550);
		assertThat(b.handshakeCount()).isEqualTo(1000 - a.handshakeCount());
	}

	@Test
	void everyAddressOfANameIsTriedWithinOneAttempt() {
		TestWebSocketServer server = closeLater(TestWebSocketServer.start());
		TestDnsServer dns = closeLater(TestDnsServer.answering());
		// 127.0.0.2 refuses (the server listens on 127.0.0.1 only)
		dns.answer("feed.test", "127.0.0.2", "127.0.0.1");
		ConnectionRuntime runtime = closeLater(
				ConnectionRuntime.builder().threads(1).nameServers(List.of(dns.address())).build());
		ManagedConnection connection = closeLater(
				ManagedConnection
					.builder(settings("ws://feed.test:" + server.port() + "/")
						.reconnect(new ReconnectSettings(Duration.ofSeconds(20), Duration.ofSeconds(30), 2.0,
								Jitter.NONE, -1, Duration.ofSeconds(30)))
						.build())
					.runtime(runtime)
					.listener(this.listener)
					.build());
		connection.connect();
		awaitState(connection, ConnectionState.CONNECTED);
		assertThat(connection.snapshot().totalAttempts()).isEqualTo(1);
		assertThat(this.listener.states()).doesNotContain(ConnectionState.RECONNECTING);
	}

	@Test
	void urlAndUrlsAreAlternativesAndEveryUrlIsValidated() {
		assertThatExceptionOfType(InvalidConnectionSettingException.class).isThrownBy(
				() -> ConnectionSettings.builder("x").url("ws://a.example/").urls(List.of("ws://b.example/")).build())
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("urls"));
		assertThatExceptionOfType(InvalidConnectionSettingException.class)
			.isThrownBy(
					() -> ConnectionSettings.builder("x").urls(List.of("ws://a.example/", "ftp://b.example/")).build())
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("urls[1]"));
		assertThatExceptionOfType(InvalidConnectionSettingException.class)
			.isThrownBy(
					() -> ConnectionSettings.builder("x").urls(List.of("ws://a.example/", "wss://b.example/")).build())
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("urls[1]"));
		ConnectionSettings settings = ConnectionSettings.builder("x")
			.urls(List.of("wss://a.example/feed", "wss://b.example/feed"))
			.build();
		assertThat(settings.url()).isEqualTo(URI.create("wss://a.example/feed"));
		assertThat(settings.urls()).hasSize(2);
		assertThat(settings.endpointSelection()).isEqualTo(EndpointSelection.ORDERED);
		assertThat(settings.endpointFailbackAfter()).isEqualTo(Duration.ofMinutes(5));
	}

}
