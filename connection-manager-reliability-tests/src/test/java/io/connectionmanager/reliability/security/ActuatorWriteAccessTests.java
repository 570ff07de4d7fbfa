package io.connectionmanager.reliability.security;

import io.connectionmanager.test.http.LoopbackHttp;

import java.time.Duration;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.reliability.support.BootApp;
import io.connectionmanager.reliability.support.StateTimeline;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static io.connectionmanager.core.state.ConnectionState.CONNECTED;
import static io.connectionmanager.core.state.ConnectionState.DISCONNECTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code POST /actuator/connections/{name}} action can drop a production connection,
 * so it must not be reachable over HTTP by default: exposing the endpoint shows the
 * connections (read-only by default), and only
 * {@code management.endpoint.connections.access=unrestricted} allows the action.
 */
class ActuatorWriteAccessTests {

	private static final String DISCONNECT = "{\"action\":\"disconnect\"}";

	private static final TestWebSocketServer server = TestWebSocketServer.start();

	@AfterAll
	static void stop() {
		server.close();
	}

	private static BootApp app(String... properties) {
		String[] all = new String[properties.length + 1];
		all[0] = "connection-manager.connections.feed.url=" + server.uri("/feed");
		System.arraycopy(properties, 0, all, 1, properties.length);
		return BootApp.run(all);
	}

	@Test
	void byDefaultOnlyHealthIsExposedAndTheActionIsUnreachable() {
		try (BootApp app = app()) {
			ManagedConnection feed = app.bean("feed", ManagedConnection.class);
			StateTimeline.awaitState(feed, CONNECTED);
			LoopbackHttp http = app.http();
			assertThat(http.get("/actuator/health").status()).isEqualTo(200);
			assertThat(http.get("/actuator/connections").status()).isEqualTo(404);
			assertThat(http.post("/actuator/connections/feed", DISCONNECT).status()).isEqualTo(404);
			await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> feed.state() == CONNECTED);
		}
	}

	@Test
	void exposingTheEndpointAloneKeepsItReadOnly() {
		try (BootApp app = app("management.endpoints.web.exposure.include=health,connections")) {
			ManagedConnection feed = app.bean("feed", ManagedConnection.class);
			StateTimeline.awaitState(feed, CONNECTED);
			LoopbackHttp http = app.http();
			assertThat(http.get("/actuator/connections/feed").status()).isEqualTo(200);
			assertThat(http.post("/actuator/connections/feed", DISCONNECT).status()).isEqualTo(405);
			await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> feed.state() == CONNECTED);
		}
	}

	@Test
	void unrestrictedAccessMakesTheActionReachable() {
		try (BootApp app = app("management.endpoints.web.exposure.include=health,connections",
				"management.endpoint.connections.access=unrestricted")) {
			ManagedConnection feed = app.bean("feed", ManagedConnection.class);
			StateTimeline.awaitState(feed, CONNECTED);
			LoopbackHttp.Response response = app.http().post("/actuator/connections/feed", DISCONNECT);
			assertThat(response.status()).isEqualTo(202);
			StateTimeline.awaitState(feed, DISCONNECTED);
			assertThat(app.http().post("/actuator/connections/feed", "{\"action\":\"connect\"}").status())
				.isEqualTo(202);
			StateTimeline.awaitState(feed, CONNECTED);
		}
	}

	@Test
	void readOnlyAccessKeepsTheSnapshotsButRefusesTheAction() {
		try (BootApp app = app("management.endpoints.web.exposure.include=health,connections",
				"management.endpoint.connections.access=read-only")) {
			ManagedConnection feed = app.bean("feed", ManagedConnection.class);
			StateTimeline.awaitState(feed, CONNECTED);
			LoopbackHttp http = app.http();
			assertThat(http.get("/actuator/connections/feed").status()).isEqualTo(200);
			assertThat(http.post("/actuator/connections/feed", DISCONNECT).status()).isEqualTo(405);
			await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> feed.state() == CONNECTED);
		}
	}

}
