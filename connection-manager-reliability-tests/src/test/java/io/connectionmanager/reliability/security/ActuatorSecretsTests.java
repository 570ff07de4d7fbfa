package io.connectionmanager.reliability.security;

import io.connectionmanager.test.http.LoopbackHttp;

import java.util.List;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.reliability.support.BootApp;
import io.connectionmanager.reliability.support.StateTimeline;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.Test;

import static io.connectionmanager.core.state.ConnectionState.CONNECTED;
import static io.connectionmanager.core.state.ConnectionState.FATAL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Credentials configured for connections - handshake headers, a trust-store password, a
 * token in the URL's query - never appear in {@code /actuator/health} or
 * {@code /actuator/connections}, healthy or failed, and are masked in
 * {@code /actuator/configprops} even when it is told to show values.
 */
class ActuatorSecretsTests {

	private static final String TOKEN = "tok-51d3a0b7e9";

	private static final String API_KEY = "key-c04f2e8813";

	private static final String PASSWORD = "pw-8be2d7f105";

	private static final String QUERY_TOKEN = "qt-77aa0c19d2";

	private static final List<String> SECRETS = List.of(TOKEN, API_KEY, PASSWORD, QUERY_TOKEN);

	@Test
	void healthAndConnectionsNeverShowThemAndConfigpropsMasksThem() {
		try (TestWebSocketServer server = TestWebSocketServer.start();
				TestWebSocketServer strict = TestWebSocketServer.start()) {
			server.requireHeader("Authorization", "Bearer " + TOKEN);
			strict.requireHeader("Authorization", "Bearer someone-else");
			try (BootApp app = BootApp.run("management.endpoints.web.exposure.include=*",
					"management.endpoint.health.show-details=always",
					"management.endpoint.configprops.show-values=always",
					"connection-manager.defaults.headers.X-Api-Key=" + API_KEY,
					"connection-manager.connections.feed.url=" + server.uri("/feed?token=" + QUERY_TOKEN),
					"connection-manager.connections.feed.headers.Authorization=Bearer " + TOKEN,
					"connection-manager.connections.feed.tls.trust-store-password=" + PASSWORD,
					"connection-manager.connections.rejected.url=" + strict.uri("/feed?token=" + QUERY_TOKEN),
					"connection-manager.connections.rejected.critical=false",
					"connection-manager.connections.rejected.headers.Authorization=Bearer " + TOKEN)) {
				StateTimeline.awaitState(app.bean("feed", ManagedConnection.class), CONNECTED);
				StateTimeline.awaitState(app.bean("rejected", ManagedConnection.class), FATAL);
				LoopbackHttp http = app.http();
				for (String path : List.of("/actuator/health", "/actuator/health/connections",
						"/actuator/health/connections/feed", "/actuator/health/connections/rejected",
						"/actuator/connections", "/actuator/connections/feed", "/actuator/connections/rejected")) {
					LoopbackHttp.Response response = http.get(path);
					assertThat(response.status()).as(path).isEqualTo(200);
					assertThat(response.body()).as(path).doesNotContain(SECRETS).doesNotContain("Bearer");
				}
				assertThat(http.get("/actuator/connections/rejected").body()).contains("HTTP 401");
				String configprops = http.get("/actuator/configprops/connection-manager").body();
				assertThat(configprops).doesNotContain(TOKEN, API_KEY, PASSWORD)
					.contains("\"Authorization\":\"******\"", "\"X-Api-Key\":\"******\"",
							"\"trustStorePassword\":\"******\"");
			}
		}
	}

}
