package io.connectionmanager.autoconfigure;

import io.connectionmanager.test.http.LoopbackHttp;

import java.time.Duration;
import java.util.List;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Header values and passwords never leave the application: not through the actuator
 * endpoints (even with {@code show-values=always}), not in logs (even at DEBUG, even when
 * a connection fails), not in a start-up failure.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsAreNeverExposedTests {

	private static final String TOKEN = "tok-3f9a1c77e5";

	private static final String API_KEY = "key-0d2b8e61aa";

	private static final String PASSWORD = "pw-7c4e19b2f0";

	private static final List<String> SECRETS = List.of(TOKEN, API_KEY, PASSWORD);

	private static TestWebSocketServer server;

	private static TestWebSocketServer rejecting;

	@BeforeAll
	static void startServers() {
		server = TestWebSocketServer.start();
		server.requireHeader("Authorization", "Bearer " + TOKEN);
		rejecting = TestWebSocketServer.start();
		rejecting.requireHeader("Authorization", "something else");
	}

	@AfterAll
	static void stopServers() {
		server.close();
		rejecting.close();
	}

	@Test
	void notInEndpointsNorLogs(CapturedOutput output) {
		try (ConfigurableApplicationContext context = application("--server.port=0",
				"--management.endpoints.web.exposure.include=*", "--management.endpoint.health.show-details=always",
				"--management.endpoint.configprops.show-values=always", "--management.endpoint.env.show-values=always",
				"--logging.level.io.connectionmanager=DEBUG",
				"--connection-manager.defaults.headers.X-Api-Key=" + API_KEY,
				"--connection-manager.connections.feed.url=" + server.uri("/feed?channel=quotes"),
				"--connection-manager.connections.feed.headers.Authorization=Bearer " + TOKEN,
				"--connection-manager.connections.feed.tls.trust-store-password=" + PASSWORD,
				"--connection-manager.connections.refused.url=" + rejecting.uri("/feed"),
				"--connection-manager.connections.refused.critical=false",
				"--connection-manager.connections.refused.headers.Authorization=Bearer " + TOKEN)) {
			ManagedConnection feed = context.getBean("feed", ManagedConnection.class);
			ManagedConnection refused = context.getBean("refused", ManagedConnection.class);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> feed.state() == ConnectionState.CONNECTED && refused.state() == ConnectionState.FATAL);
			LoopbackHttp http = new LoopbackHttp(((WebServerApplicationContext) context).getWebServer().getPort());
			for (String path : List.of("/actuator/connections", "/actuator/connections/feed",
					"/actuator/connections/refused", "/actuator/health", "/actuator/health/connections",
					"/actuator/configprops", "/actuator/configprops/connection-manager", "/actuator/env",
					"/actuator/env/connection-manager.connections.feed.headers.Authorization")) {
				LoopbackHttp.Response response = http.get(path);
				assertThat(response.status()).as(path).isEqualTo(200);
				assertThat(response.body()).as(path).doesNotContain(SECRETS);
			}
			String configprops = http.get("/actuator/configprops/connection-manager").body();
			assertThat(configprops).contains("\"Authorization\":\"******\"", "\"X-Api-Key\":\"******\"",
					"\"trustStorePassword\":\"******\"");
			// The URL is shown without its query string.
			assertThat(http.get("/actuator/connections/feed").<String>json("$.url"))
				.isEqualTo(server.uri("/feed").toString());
		}
		assertThat(output.getAll()).contains("Connection 'refused' is FATAL").doesNotContain(SECRETS);
	}

	@Test
	void notInAStartUpFailure(CapturedOutput output) {
		assertThatException().isThrownBy(() -> application("--spring.main.web-application-type=none",
				"--connection-manager.connections.feed.url=" + server.uri("/feed"),
				"--connection-manager.connections.feed.headers.Authorization=Bearer " + TOKEN,
				"--connection-manager.connections.feed.reconnect.multiplier=0.5"));
		assertThat(output.getAll())
			.contains("APPLICATION FAILED TO START",
					"Property: connection-manager.connections.feed.reconnect.multiplier")
			.doesNotContain(SECRETS);
	}

	private static ConfigurableApplicationContext application(String... args) {
		return new SpringApplication(TestApplication.class).run(args);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
