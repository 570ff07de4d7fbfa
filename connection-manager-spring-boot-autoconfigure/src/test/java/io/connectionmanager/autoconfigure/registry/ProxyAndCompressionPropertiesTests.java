package io.connectionmanager.autoconfigure.registry;

import java.time.Duration;

import io.connectionmanager.actuate.endpoint.ConnectionsEndpoint;
import io.connectionmanager.autoconfigure.ConnectionManagerAutoConfiguration;
import io.connectionmanager.autoconfigure.ConnectionManagerProperties;
import io.connectionmanager.autoconfigure.endpoint.ConnectionsEndpointAutoConfiguration;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.test.proxy.HttpConnectProxy;
import io.connectionmanager.test.proxy.Socks5Proxy;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code proxy.*} and {@code compression} from properties, through real proxies and a
 * compressing server; the proxy password shows nowhere.
 */
class ProxyAndCompressionPropertiesTests {

	private static final String SECRET = "proxy-s3cr3t";

	private static TestWebSocketServer server;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ConnectionManagerAutoConfiguration.class,
				ConnectionsEndpointAutoConfiguration.class))
		.withPropertyValues("connection-manager.runtime.threads=1",
				"management.endpoints.web.exposure.include=connections");

	@BeforeAll
	static void startServer() {
		server = TestWebSocketServer.builder().compression().start();
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Test
	void connectionsGoThroughTheDefaultsProxyWithCompressionAndTheSecretShowsNowhere() {
		try (HttpConnectProxy proxy = HttpConnectProxy.start("trader", SECRET)) {
			this.runner
				.withPropertyValues("connection-manager.defaults.proxy.url=" + proxy.url(),
						"connection-manager.defaults.proxy.username=trader",
						"connection-manager.defaults.proxy.password=" + SECRET,
						"connection-manager.connections.ticker.url=" + server.uri("/ticker"),
						"connection-manager.connections.ticker.compression=true")
				.run((context) -> {
					ManagedConnection ticker = context.getBean("ticker", ManagedConnection.class);
					await().atMost(Duration.ofSeconds(10)).until(() -> ticker.state() == ConnectionState.CONNECTED);
					assertThat(proxy.tunnelsOpened()).isEqualTo(1);
					assertThat(server.handshakes().get(server.handshakeCount() - 1).header("Sec-WebSocket-Extensions"))
						.contains("permessage-deflate");
					assertThat(ticker.settings().proxy().toString()).doesNotContain(SECRET);
					assertThat(context.getBean(ConnectionManagerProperties.class).toString()).doesNotContain(SECRET);
					assertThat(context.getBean(ConnectionsEndpoint.class).connections().toString())
						.doesNotContain(SECRET);
				});
		}
	}

	@Test
	void wrongSocksCredentialsAreFatalAndTheMessageHasNoSecret() {
		try (Socks5Proxy proxy = Socks5Proxy.start("trader", SECRET)) {
			this.runner
				.withPropertyValues("connection-manager.connections.ticker.url=" + server.uri("/ticker"),
						"connection-manager.connections.ticker.proxy.url=" + proxy.url(),
						"connection-manager.connections.ticker.proxy.username=trader",
						"connection-manager.connections.ticker.proxy.password=wrong-" + SECRET)
				.run((context) -> {
					ManagedConnection ticker = context.getBean("ticker", ManagedConnection.class);
					await().atMost(Duration.ofSeconds(10)).until(() -> ticker.state() == ConnectionState.FATAL);
					assertThat(ticker.snapshot().lastFailure().kind()).isEqualTo(FailureKind.AUTH_REJECTED);
					assertThat(context.getBean(ConnectionsEndpoint.class).connection("ticker").toString())
						.contains("refused the credentials")
						.doesNotContain(SECRET);
				});
		}
	}

	@Test
	void aProxyUrlWithCredentialsStopsStartUpWithoutShowingThem() {
		this.runner
			.withPropertyValues("connection-manager.connections.ticker.url=" + server.uri("/ticker"),
					"connection-manager.connections.ticker.proxy.url=http://trader:" + SECRET + "@127.0.0.1:3128")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasStackTraceContaining("proxy.url")
					.hasStackTraceContaining("proxy.username and proxy.password");
				for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
					assertThat(String.valueOf(t.getMessage())).doesNotContain(SECRET);
				}
			});
	}

}
