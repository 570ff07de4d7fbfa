package io.connectionmanager.autoconfigure;

import java.time.Duration;
import java.util.Map;

import io.connectionmanager.actuate.endpoint.ConnectionsEndpoint;
import io.connectionmanager.actuate.metrics.ConnectionMetrics;
import io.connectionmanager.autoconfigure.endpoint.ConnectionsEndpointAutoConfiguration;
import io.connectionmanager.autoconfigure.health.ConnectionManagerHealthContributorAutoConfiguration;
import io.connectionmanager.autoconfigure.metrics.ConnectionManagerMetricsAutoConfiguration;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.EndpointSelection;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.test.server.TestWebSocketServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code urls}, {@code endpoint-selection} and {@code endpoint-failback-after} from
 * properties; the endpoint in use shows in health, the endpoint and a meter.
 */
class EndpointsPropertiesTests {

	private static final String FEED = "connection-manager.connections.feed.";

	private static ConnectionSettings settings(MockEnvironment environment) {
		return ConnectionManagerBinding.bind(environment).definitions().get("feed").settings();
	}

	private static String failure(MockEnvironment environment) {
		try {
			ConnectionManagerBinding.bind(environment);
		}
		catch (InvalidConnectionPropertyException ex) {
			return ex.getProperty();
		}
		throw new AssertionError("bound without a failure");
	}

	@Test
	void theKeysBindAndAConnectionsUrlsReplaceTheDefaultsUrl() {
		ConnectionSettings settings = settings(
				new MockEnvironment().withProperty("connection-manager.defaults.url", "ws://default.example/")
					.withProperty(FEED + "urls[0]", "wss://a.example/feed")
					.withProperty(FEED + "urls[1]", "wss://b.example/feed")
					.withProperty(FEED + "endpoint-selection", "random")
					.withProperty(FEED + "endpoint-failback-after", "1m"));
		assertThat(settings.urls()).extracting(Object::toString)
			.containsExactly("wss://a.example/feed", "wss://b.example/feed");
		assertThat(settings.endpointSelection()).isEqualTo(EndpointSelection.RANDOM);
		assertThat(settings.endpointFailbackAfter()).isEqualTo(Duration.ofMinutes(1));
	}

	@Test
	void urlAndUrlsTogetherNameTheProperty() {
		assertThat(failure(new MockEnvironment().withProperty(FEED + "url", "ws://a.example/")
			.withProperty(FEED + "urls", "ws://b.example/,ws://c.example/"))).isEqualTo(FEED + "urls");
		assertThat(failure(new MockEnvironment().withProperty(FEED + "urls", "ws://b.example/,http://c.example/")))
			.isEqualTo(FEED + "urls[1]");
	}

	@Test
	void theEndpointInUseShowsInHealthTheEndpointAndAMeter() {
		try (TestWebSocketServer primary = TestWebSocketServer.start();
				TestWebSocketServer backup = TestWebSocketServer.start()) {
			primary.kill();
			String backupLabel = "ws://127.0.0.1:" + backup.port();
			new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(ConnectionManagerAutoConfiguration.class,
						ConnectionManagerHealthContributorAutoConfiguration.class,
						ConnectionsEndpointAutoConfiguration.class, ConnectionManagerMetricsAutoConfiguration.class))
				.withPropertyValues("connection-manager.runtime.threads=1",
						"management.endpoints.web.exposure.include=connections",
						FEED + "urls=" + primary.uri("/feed") + "," + backup.uri("/feed"))
				.run((context) -> {
					ManagedConnection feed = context.getBean("feed", ManagedConnection.class);
					await().atMost(Duration.ofSeconds(10)).until(() -> feed.state() == ConnectionState.CONNECTED);
					HealthIndicator health = (HealthIndicator) ((CompositeHealthContributor) context
						.getBean("connectionsHealthContributor")).getContributor("feed");
					assertThat(health.health().getDetails()).containsEntry("endpoint", backupLabel);
					Map<String, Object> described = context.getBean(ConnectionsEndpoint.class).connection("feed");
					assertThat(described).containsEntry("endpoint", backupLabel);
					MeterRegistry registry = new SimpleMeterRegistry();
					context.getBean(ConnectionMetrics.class).bindTo(registry);
					assertThat(registry.get("connection.manager.endpoint").tag("endpoint", backupLabel).gauge().value())
						.isEqualTo(1.0);
					assertThat(registry.get("connection.manager.endpoint")
						.tag("endpoint", "ws://127.0.0.1:" + primary.port())
						.gauge()
						.value()).isZero();
				});
		}
	}

}
