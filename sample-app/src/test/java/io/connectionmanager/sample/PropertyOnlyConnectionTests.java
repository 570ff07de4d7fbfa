package io.connectionmanager.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.connectionmanager.core.state.ConnectionSnapshot;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.event.ConnectionStateChangedEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.connectionmanager.core.state.ConnectionState.CONNECTED;
import static io.connectionmanager.core.state.ConnectionState.DISCONNECTED;
import static io.connectionmanager.core.state.ConnectionState.FATAL;
import static io.connectionmanager.core.state.ConnectionState.RECONNECTING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Connections defined by properties alone - no handler, no code - next to the sample's
 * own: one to the embedded feed (transport ping/pong heartbeats), one to its
 * {@code /admin} path that answers the upgrade with 401 (FATAL at the first attempt), one
 * to a port where nothing listens (jittered backoff, forever). All three show in
 * {@code /actuator/health} and {@code /actuator/connections}, and the endpoint drives
 * them.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "connection-manager.connections.probe.url=ws://127.0.0.1:${feed.port}/stream",
				"connection-manager.connections.probe.critical=false",
				"connection-manager.connections.probe.heartbeat.interval=300ms",
				"connection-manager.connections.probe.heartbeat.timeout=2s",
				"connection-manager.connections.locked.url=ws://127.0.0.1:${feed.port}/admin",
				"connection-manager.connections.locked.critical=false",
				"connection-manager.connections.nowhere.critical=false",
				"connection-manager.connections.nowhere.reconnect.initial-delay=100ms",
				"connection-manager.connections.nowhere.reconnect.max-delay=400ms",
				"connection-manager.connections.nowhere.circuit-breaker.enabled=false" })
@Import(TransitionRecorder.class)
@DirtiesContext // closed after this class: 'nowhere' would otherwise keep retrying for
				// the rest of the build
class PropertyOnlyConnectionTests {

	@DynamicPropertySource
	static void nothingListensThere(DynamicPropertyRegistry registry) {
		registry.add("connection-manager.connections.nowhere.url", () -> "ws://127.0.0.1:" + closedPort() + "/x");
	}

	@Autowired
	@Qualifier("probe")
	private ManagedConnection probe;

	@Autowired
	@Qualifier("locked")
	private ManagedConnection locked;

	@Autowired
	@Qualifier("nowhere")
	private ManagedConnection nowhere;

	@Autowired
	@Qualifier("market-data")
	private ManagedConnection marketData;

	@Autowired
	private TransitionRecorder recorder;

	@LocalServerPort
	private int port;

	private Api api;

	@BeforeEach
	void api() {
		this.api = new Api(this.port);
	}

	@Test
	void aConnectionWithoutAHandlerConnectsAndMeasuresPingPongRoundTrips() {
		await().atMost(Duration.ofSeconds(5)).until(() -> this.probe.state() == CONNECTED);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.probe.snapshot().heartbeatRoundTrip() != null);
		assertThat(this.probe.snapshot().heartbeatRoundTrip()).isLessThan(Duration.ofSeconds(2));
		assertThat(this.marketData.state()).isEqualTo(CONNECTED);
	}

	@Test
	void a401OnTheUpgradeIsFatalAtTheFirstAttempt() {
		await().atMost(Duration.ofSeconds(5)).until(() -> this.locked.state() == FATAL);
		ConnectionSnapshot snapshot = this.locked.snapshot();
		assertThat(snapshot.lastFailure().kind()).isEqualTo(FailureKind.UPGRADE_REJECTED);
		assertThat(snapshot.lastFailure().httpStatus()).isEqualTo(401);
		await().during(Duration.ofSeconds(1))
			.atMost(Duration.ofSeconds(2))
			.until(() -> this.locked.state() == FATAL && this.locked.snapshot().totalAttempts() == 1);
	}

	@Test
	void nothingListeningMeansBackoffForever() {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.nowhere.snapshot().totalAttempts() >= 4);
		List<ConnectionStateChangedEvent> retries = this.recorder.into("nowhere", RECONNECTING,
				FailureKind.CONNECTION_REFUSED);
		assertThat(retries).hasSizeGreaterThanOrEqualTo(3);
		assertThat(retries)
			.allSatisfy((e) -> assertThat(e.getRetryIn()).isNotNull().isBetween(Duration.ZERO, Duration.ofMillis(400)));
		assertThat(this.nowhere.state()).isNotEqualTo(FATAL);
	}

	@Test
	void healthShowsEveryConnectionAndOnlyCriticalOnesDecide() {
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.locked.state() == FATAL && this.probe.state() == CONNECTED
					&& this.marketData.state() == CONNECTED);
		Map<String, Object> health = this.api.get("/actuator/health").getBody();
		assertThat(Api.at(health, "status")).as("non-critical connections never take health DOWN").isEqualTo("UP");
		assertThat(Api.at(health, "components.connections.components.market-data.details.state"))
			.isEqualTo("CONNECTED");
		assertThat(Api.at(health, "components.connections.components.probe.details.state")).isEqualTo("CONNECTED");
		assertThat(Api.at(health, "components.connections.components.locked.details.state")).isEqualTo("FATAL");
		assertThat(Api.at(health, "components.connections.components.nowhere.details.state")).isIn("RECONNECTING",
				"CONNECTING");
	}

	@Test
	void theActuatorEndpointListsAndDrivesThem() {
		Map<String, Object> all = this.api.get("/actuator/connections").getBody();
		assertThat(Api.at(all, "connections")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
			.containsKeys("market-data", "probe", "locked", "nowhere");

		await().atMost(Duration.ofSeconds(5)).until(() -> this.probe.state() == CONNECTED);
		assertThat(this.api.post("/actuator/connections/probe", Map.of("action", "disconnect"))
			.getStatusCode()
			.is2xxSuccessful()).isTrue();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.probe.state() == DISCONNECTED);
		assertThat(Api.at(this.api.get("/actuator/connections/probe").getBody(), "state")).isEqualTo("DISCONNECTED");

		this.api.post("/actuator/connections/probe", Map.of("action", "connect"));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.probe.state() == CONNECTED);
		assertThat(Api.at(this.api.get("/actuator/connections/probe").getBody(), "state")).isEqualTo("CONNECTED");
	}

	private static int closedPort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
