package io.connectionmanager.autoconfigure;

import io.connectionmanager.test.http.LoopbackHttp;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.event.ConnectionStateChangedEvent;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.connectionmanager.core.state.ConnectionState.AUTHENTICATING;
import static io.connectionmanager.core.state.ConnectionState.CONNECTED;
import static io.connectionmanager.core.state.ConnectionState.CONNECTING;
import static io.connectionmanager.core.state.ConnectionState.DISCONNECTED;
import static io.connectionmanager.core.state.ConnectionState.RECONNECTING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A whole application (web server, actuator, auto-configuration) with two connections to
 * two real loopback WebSocket servers, observed over HTTP the way an operator would.
 */
@SpringBootTest(classes = ConnectionManagerIntegrationTests.TestApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,connections,metrics",
				"management.endpoint.connections.access=unrestricted", "management.endpoint.health.show-details=always",
				"management.endpoint.health.probes.enabled=true",
				"management.endpoint.health.group.readiness.include=readinessState,connections",
				"connection-manager.runtime.threads=1", "connection-manager.defaults.reconnect.initial-delay=100ms",
				"connection-manager.defaults.reconnect.max-delay=300ms",
				"connection-manager.defaults.reconnect.jitter=none" })
@DirtiesContext
class ConnectionManagerIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	private static final String TOKEN = "Bearer integration-token";

	private static final TestWebSocketServer alphaServer = TestWebSocketServer.start();

	private static final TestWebSocketServer marketDataServer = TestWebSocketServer.start();

	@LocalServerPort
	private int port;

	@Autowired
	private StateChanges stateChanges;

	@Autowired
	@Qualifier("market-data")
	private ManagedConnection marketData;

	@Autowired
	@Qualifier("alpha")
	private ManagedConnection alpha;

	private LoopbackHttp http;

	@DynamicPropertySource
	static void connections(DynamicPropertyRegistry registry) {
		// The market-data server only upgrades requests that carry the configured header.
		marketDataServer.requireHeader("Authorization", TOKEN);
		registry.add("connection-manager.connections.alpha.url", () -> alphaServer.uri("/alpha"));
		registry.add("connection-manager.connections.market-data.url", () -> marketDataServer.uri("/v1/stream"));
		registry.add("connection-manager.connections.market-data.headers.Authorization", () -> TOKEN);
	}

	@AfterAll
	static void stopServers() {
		alphaServer.close();
		marketDataServer.close();
	}

	@BeforeEach
	void bothConnected() {
		this.http = new LoopbackHttp(this.port);
		await().atMost(TIMEOUT).until(() -> this.alpha.state() == CONNECTED && this.marketData.state() == CONNECTED);
	}

	@Test
	void eventsFromStartUpArriveInOrder() {
		for (String name : List.of("alpha", "market-data")) {
			assertThat(this.stateChanges.of(name)).startsWith(DISCONNECTED + "->" + CONNECTING,
					CONNECTING + "->" + AUTHENTICATING, AUTHENTICATING + "->" + CONNECTED);
		}
	}

	@Test
	void healthHasAConnectionsCompositeWithEveryConnectionAndItsDetails() {
		LoopbackHttp.Response health = this.http.get("/actuator/health");
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.<String>json("$.status")).isEqualTo("UP");
		assertThat(health.<String>json("$.components.connections.status")).isEqualTo("UP");
		for (String name : List.of("alpha", "market-data")) {
			String component = "$.components.connections.components['" + name + "']";
			assertThat(health.<String>json(component + ".status")).isEqualTo("UP");
			assertThat(health.<String>json(component + ".details.state")).isEqualTo("CONNECTED");
			assertThat(health.<String>json(component + ".details.since")).isNotBlank();
			assertThat(health.<Integer>json(component + ".details.attempt")).isNotNull();
			assertThat(health.<String>json(component + ".details.circuitBreaker")).isEqualTo("CLOSED");
		}
		assertThat(this.http.get("/actuator/health/readiness").body()).contains("\"connections\"");
		assertThat(this.http.get("/actuator/health/liveness").body()).doesNotContain("connections");
	}

	@Test
	void endpointShowsEverySnapshotAndOne() {
		LoopbackHttp.Response all = this.http.get("/actuator/connections");
		assertThat(all.status()).isEqualTo(200);
		assertThat(all.<String>json("$.connections.alpha.state")).isEqualTo("CONNECTED");
		assertThat(all.<String>json("$.connections['market-data'].url"))
			.isEqualTo(marketDataServer.uri("/v1/stream").toString());
		assertThat(all.<String>json("$.connections['market-data'].circuitBreaker")).isEqualTo("CLOSED");
		assertThat(all.<Object>json("$.connections['market-data'].messagesIn")).isNotNull();
		assertThat(all.<Integer>json("$.connections['market-data'].handlerErrors")).isZero();
		assertThat(all.<Integer>json("$.connections['market-data'].outboundPendingBytes")).isZero();
		LoopbackHttp.Response one = this.http.get("/actuator/connections/market-data");
		assertThat(one.status()).isEqualTo(200);
		assertThat(one.<String>json("$.name")).isEqualTo("market-data");
		assertThat(one.<String>json("$.state")).isEqualTo("CONNECTED");
		assertThat(this.http.get("/actuator/connections/nope").status()).isEqualTo(404);
	}

	@Test
	void postReconnectReconnectsAndBadRequestsAreExplained() {
		int handshakes = marketDataServer.handshakeCount();
		int seen = this.stateChanges.of("market-data").size();
		LoopbackHttp.Response accepted = this.http.post("/actuator/connections/market-data",
				"{\"action\":\"reconnect\"}");
		assertThat(accepted.status()).isEqualTo(202);
		assertThat(accepted.<String>json("$.name")).isEqualTo("market-data");
		await().atMost(TIMEOUT)
			.untilAsserted(
					() -> assertThat(after("market-data", seen)).containsSubsequence(CONNECTED + "->" + CONNECTING,
							CONNECTING + "->" + AUTHENTICATING, AUTHENTICATING + "->" + CONNECTED));
		assertThat(marketDataServer.handshakeCount()).isGreaterThan(handshakes);

		LoopbackHttp.Response badAction = this.http.post("/actuator/connections/market-data",
				"{\"action\":\"explode\"}");
		assertThat(badAction.status()).isEqualTo(400);
		assertThat(badAction.<String>json("$.message"))
			.isEqualTo("Unknown action \"explode\"; expected one of: connect, disconnect, reconnect, yield");
		assertThat(this.http.post("/actuator/connections/market-data", "{}").status()).isEqualTo(400);
		assertThat(this.http.post("/actuator/connections/nope", "{\"action\":\"connect\"}").status()).isEqualTo(404);
	}

	@Test
	void aKilledServerTakesItsCriticalConnectionDown() {
		int seen = this.stateChanges.of("alpha").size();
		alphaServer.kill();
		try {
			await().atMost(TIMEOUT).untilAsserted(() -> {
				LoopbackHttp.Response health = this.http.get("/actuator/health");
				assertThat(health.status()).isEqualTo(503);
				assertThat(health.<String>json("$.components.connections.components.alpha.status")).isEqualTo("DOWN");
				assertThat(health.<String>json("$.components.connections.components['market-data'].status"))
					.isEqualTo("UP");
			});
			LoopbackHttp.Response health = this.http.get("/actuator/health");
			assertThat(health.<String>json("$.components.connections.components.alpha.details.lastFailure"))
				.isNotBlank();
			assertThat(this.http.get("/actuator/health/readiness").status()).isEqualTo(503);
			assertThat(after("alpha", seen)).startsWith(CONNECTED + "->" + RECONNECTING);
		}
		finally {
			alphaServer.restart();
		}
		await().atMost(TIMEOUT).until(() -> this.http.get("/actuator/health").status() == 200);
		assertThat(this.stateChanges.of("alpha")).endsWith(AUTHENTICATING + "->" + CONNECTED);
	}

	@Test
	void metricsArePublished() {
		LoopbackHttp.Response state = this.http
			.get("/actuator/metrics/connection.manager.state?tag=connection:alpha&tag=state:CONNECTED");
		assertThat(state.status()).isEqualTo(200);
		assertThat(state.<Double>json("$.measurements[0].value")).isEqualTo(1.0);
		assertThat(this.http.get("/actuator/metrics/connection.manager.attempts?tag=connection:market-data").status())
			.isEqualTo(200);
		assertThat(this.http.get("/actuator/metrics/connection.manager.handler.errors?tag=connection:alpha")
			.<Double>json("$.measurements[0].value")).isZero();
		assertThat(this.http.get("/actuator/metrics/connection.manager.outbound.pending.bytes?tag=connection:alpha")
			.<String>json("$.baseUnit")).isEqualTo("bytes");
		assertThat(this.http.get("/actuator/metrics/resilience4j.circuitbreaker.state?tag=name:alpha").status())
			.isEqualTo(200);
	}

	private List<String> after(String connection, int seen) {
		List<String> all = this.stateChanges.of(connection);
		return all.subList(Math.min(seen, all.size()), all.size());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

		@Bean
		StateChanges stateChanges() {
			return new StateChanges();
		}

	}

	/** Every state change, per connection, as "PREVIOUS->CURRENT", in arrival order. */
	static class StateChanges {

		private final List<ConnectionStateChangedEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void on(ConnectionStateChangedEvent event) {
			this.events.add(event);
		}

		List<String> of(String connection) {
			return this.events.stream()
				.filter((event) -> event.getConnectionName().equals(connection))
				.map((event) -> event.getPrevious() + "->" + event.getCurrent())
				.toList();
		}

	}

}
