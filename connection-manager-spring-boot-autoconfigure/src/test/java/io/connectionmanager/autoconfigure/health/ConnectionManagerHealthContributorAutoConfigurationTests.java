package io.connectionmanager.autoconfigure.health;

import java.time.Duration;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.autoconfigure.testing.AutoConfigurationTesting;
import io.connectionmanager.autoconfigure.testing.AutoConfigurationTesting.SharedServer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ConnectionManagerHealthContributorAutoConfigurationTests {

	@RegisterExtension
	static final SharedServer server = new SharedServer();

	private final ApplicationContextRunner runner = AutoConfigurationTesting
		.runner(ConnectionManagerHealthContributorAutoConfiguration.class);

	@Test
	void compositeWithOneIndicatorPerConnection() {
		this.runner
			.withPropertyValues(connection("up"),
					"connection-manager.connections.down.url=" + server.get().uri("/down"),
					"connection-manager.connections.down.auto-startup=false",
					"connection-manager.connections.optional.url=" + server.get().uri("/optional"),
					"connection-manager.connections.optional.auto-startup=false",
					"connection-manager.connections.optional.critical=false")
			.run((context) -> {
				assertThat(context).hasBean("connectionsHealthContributor");
				CompositeHealthContributor composite = context.getBean("connectionsHealthContributor",
						CompositeHealthContributor.class);
				assertThat(composite.stream().map((entry) -> entry.name())).containsExactly("up", "down", "optional");
				ManagedConnection up = context.getBean("up", ManagedConnection.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> up.state() == ConnectionState.CONNECTED);

				Health upHealth = health(composite, "up");
				assertThat(upHealth.getStatus()).isEqualTo(Status.UP);
				assertThat(upHealth.getDetails()).containsEntry("state", "CONNECTED")
					.containsEntry("attempt", 1)
					.containsEntry("circuitBreaker", "CLOSED")
					.containsKey("since");

				Health downHealth = health(composite, "down");
				assertThat(downHealth.getStatus()).isEqualTo(Status.DOWN);
				assertThat(downHealth.getDetails()).containsEntry("state", "DISCONNECTED");

				// Non-critical: never DOWN, so the aggregate can stay UP.
				assertThat(health(composite, "optional").getStatus()).isEqualTo(Status.UNKNOWN);
			});
	}

	/**
	 * Connections may all be registered at run time: the component exists from the start
	 * and is empty until then.
	 */
	@Test
	void emptyContributorWithoutConfiguredConnections() {
		this.runner.run((context) -> assertThat(
				context.getBean("connectionsHealthContributor", CompositeHealthContributor.class).stream())
			.isEmpty());
	}

	@Test
	void canBeDisabled() {
		this.runner.withPropertyValues(connection("feed"), "management.health.connections.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("connectionsHealthContributor"));
	}

	@Test
	void absentWhenTheMasterSwitchIsOff() {
		this.runner.withPropertyValues(connection("feed"), "connection-manager.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("connectionsHealthContributor"));
	}

	@Test
	void absentWithoutTheHealthModule() {
		this.runner.withPropertyValues(connection("feed"))
			.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).doesNotHaveBean("connectionsHealthContributor"));
	}

	@Test
	void userContributorWins() {
		HealthIndicator own = () -> Health.up().build();
		this.runner.withPropertyValues(connection("feed"))
			.withBean("connectionsHealthContributor", HealthContributor.class, () -> own)
			.run((context) -> assertThat(context.getBean("connectionsHealthContributor")).isSameAs(own));
	}

	private static String connection(String name) {
		return "connection-manager.connections." + name + ".url=" + server.get().uri("/" + name);
	}

	private static Health health(CompositeHealthContributor composite, String name) {
		return ((HealthIndicator) composite.getContributor(name)).health(true);
	}

}
