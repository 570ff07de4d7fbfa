package io.connectionmanager.autoconfigure.registry;

import java.time.Duration;
import java.util.Map;

import io.connectionmanager.actuate.endpoint.ConnectionsEndpoint;
import io.connectionmanager.autoconfigure.ConnectionManagerAutoConfiguration;
import io.connectionmanager.autoconfigure.ConnectionProperties;
import io.connectionmanager.autoconfigure.ConnectionRegistry;
import io.connectionmanager.autoconfigure.endpoint.ConnectionsEndpointAutoConfiguration;
import io.connectionmanager.autoconfigure.health.ConnectionManagerHealthContributorAutoConfiguration;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application whose connections all come from the {@link ConnectionRegistry} (none in
 * its properties) still gets the {@code connections} health component and endpoint, and
 * its registered connections follow the context's stop and start like configured ones.
 */
class RegisteredOnlyConnectionsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	private static TestWebSocketServer server;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ConnectionManagerAutoConfiguration.class,
				ConnectionManagerHealthContributorAutoConfiguration.class, ConnectionsEndpointAutoConfiguration.class,
				HealthContributorRegistryAutoConfiguration.class, HealthEndpointAutoConfiguration.class))
		.withPropertyValues("connection-manager.runtime.threads=1",
				"management.endpoints.web.exposure.include=connections,health");

	@BeforeAll
	static void startServer() {
		server = TestWebSocketServer.start();
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Test
	void healthAndEndpointExistWithoutConfiguredConnectionsAndShowRegisteredOnes() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed()
				.hasBean("connectionsHealthContributor")
				.hasSingleBean(ConnectionsEndpoint.class);
			assertThat(healthNames(context)).isEmpty();
			assertThat(components(context)).doesNotContainKey("connections");
			ManagedConnection tenant = context.getBean(ConnectionRegistry.class)
				.register("tenant-1", tenant("/tenant-1", "true"), null);
			await().atMost(TIMEOUT).until(() -> tenant.state() == ConnectionState.CONNECTED);
			assertThat(healthNames(context)).containsExactly("tenant-1");
			assertThat(components(context)).containsKey("connections");
			assertThat(((CompositeHealthDescriptor) components(context).get("connections")).getComponents())
				.containsOnlyKeys("tenant-1");
			assertThat(((HealthIndicator) health(context).getContributor("tenant-1")).health().getStatus())
				.isEqualTo(Status.UP);
			assertThat(context.getBean(ConnectionsEndpoint.class).connection("tenant-1")).containsEntry("state",
					"CONNECTED");
		});
	}

	@Test
	void registeredConnectionsStartAgainAfterTheContextStopsAndStarts() {
		this.runner.run((context) -> {
			ConnectionRegistry registry = context.getBean(ConnectionRegistry.class);
			ManagedConnection automatic = registry.register("automatic", tenant("/automatic", "true"), null);
			ManagedConnection manual = registry.register("manual", tenant("/manual", "false"), null);
			await().atMost(TIMEOUT).until(() -> automatic.state() == ConnectionState.CONNECTED);
			assertThat(manual.state()).isEqualTo(ConnectionState.DISCONNECTED);
			context.stop();
			assertThat(automatic.state()).isEqualTo(ConnectionState.DISCONNECTED);
			int handshakes = server.handshakeCount();
			context.start();
			await().atMost(TIMEOUT).until(() -> automatic.state() == ConnectionState.CONNECTED);
			assertThat(server.handshakeCount()).isEqualTo(handshakes + 1);
			// auto-startup: false is honoured on a restart too
			assertThat(manual.state()).isEqualTo(ConnectionState.DISCONNECTED);
		});
	}

	private static ConnectionProperties tenant(String path, String autoStartup) {
		return new Binder(new MapConfigurationPropertySource(
				Map.of("url", server.uri(path).toString(), "auto-startup", autoStartup)))
			.bindOrCreate("", Bindable.of(ConnectionProperties.class));
	}

	/** What {@code /actuator/health} shows. */
	private static Map<String, HealthDescriptor> components(AssertableApplicationContext context) {
		HealthDescriptor health = context.getBean(HealthEndpoint.class).health();
		return (health instanceof CompositeHealthDescriptor composite) ? composite.getComponents() : Map.of();
	}

	private static CompositeHealthContributor health(AssertableApplicationContext context) {
		return context.getBean("connectionsHealthContributor", CompositeHealthContributor.class);
	}

	private static java.util.List<String> healthNames(AssertableApplicationContext context) {
		return health(context).stream().map(HealthContributors.Entry::name).toList();
	}

}
