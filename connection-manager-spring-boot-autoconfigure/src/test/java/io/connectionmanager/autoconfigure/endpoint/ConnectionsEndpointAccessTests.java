package io.connectionmanager.autoconfigure.endpoint;

import java.time.Duration;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.test.http.LoopbackHttp;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static io.connectionmanager.core.state.ConnectionState.CONNECTED;
import static io.connectionmanager.core.state.ConnectionState.DISCONNECTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Secure by default: exposing the {@code connections} endpoint over HTTP shows the
 * connections but does not let anyone act on them; the actions need
 * {@code management.endpoint.connections.access=unrestricted}.
 */
class ConnectionsEndpointAccessTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String DISCONNECT = "{\"action\":\"disconnect\"}";

	private static TestWebSocketServer server;

	@BeforeAll
	static void startServer() {
		server = TestWebSocketServer.start();
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Test
	void exposedEndpointIsReadOnlyByDefault() {
		try (ConfigurableApplicationContext context = application()) {
			ManagedConnection feed = connected(context);
			LoopbackHttp http = http(context);
			assertThat(http.get("/actuator/connections").status()).isEqualTo(200);
			assertThat(http.get("/actuator/connections/feed").<String>json("$.state")).isEqualTo("CONNECTED");
			assertThat(http.post("/actuator/connections/feed", DISCONNECT).status()).isEqualTo(405);
			assertThat(feed.state()).isEqualTo(CONNECTED);
			assertThat(http.get("/actuator/connections/feed").<String>json("$.state")).isEqualTo("CONNECTED");
		}
	}

	@Test
	void unrestrictedAccessAllowsTheActions() {
		try (ConfigurableApplicationContext context = application(
				"--management.endpoint.connections.access=unrestricted")) {
			ManagedConnection feed = connected(context);
			LoopbackHttp http = http(context);
			assertThat(http.post("/actuator/connections/feed", DISCONNECT).status()).isEqualTo(202);
			await().atMost(TIMEOUT).until(() -> feed.state() == DISCONNECTED);
			assertThat(http.post("/actuator/connections/feed", "{\"action\":\"connect\"}").status()).isEqualTo(202);
			await().atMost(TIMEOUT).until(() -> feed.state() == CONNECTED);
		}
	}

	private static ConfigurableApplicationContext application(String... extra) {
		String[] args = { "--server.port=0", "--management.endpoints.web.exposure.include=health,connections",
				"--connection-manager.runtime.threads=1",
				"--connection-manager.connections.feed.url=" + server.uri("/feed") };
		String[] all = new String[args.length + extra.length];
		System.arraycopy(args, 0, all, 0, args.length);
		System.arraycopy(extra, 0, all, args.length, extra.length);
		return new SpringApplication(TestApplication.class).run(all);
	}

	private static ManagedConnection connected(ConfigurableApplicationContext context) {
		ManagedConnection feed = context.getBean("feed", ManagedConnection.class);
		await().atMost(TIMEOUT).until(() -> feed.state() == CONNECTED);
		return feed;
	}

	private static LoopbackHttp http(ConfigurableApplicationContext context) {
		return new LoopbackHttp(((WebServerApplicationContext) context).getWebServer().getPort());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
