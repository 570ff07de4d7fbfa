package io.connectionmanager.autoconfigure.endpoint;

import java.time.Duration;
import java.util.Map;

import io.connectionmanager.actuate.endpoint.ConnectionsEndpoint;
import io.connectionmanager.actuate.endpoint.ConnectionsEndpointWebExtension;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.autoconfigure.testing.AutoConfigurationTesting;
import io.connectionmanager.autoconfigure.testing.AutoConfigurationTesting.SharedServer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

class ConnectionsEndpointAutoConfigurationTests {

	@RegisterExtension
	static final SharedServer server = new SharedServer();

	private final ApplicationContextRunner runner = AutoConfigurationTesting
		.runner(ConnectionsEndpointAutoConfiguration.class);

	@Test
	void absentUntilExposed() {
		this.runner.withPropertyValues(feed())
			.run((context) -> assertThat(context).doesNotHaveBean(ConnectionsEndpoint.class)
				.doesNotHaveBean(ConnectionsEndpointWebExtension.class));
	}

	@Test
	void webExposureAddsTheEndpointAndItsWebExtension() {
		this.runner.withPropertyValues(feed(), "management.endpoints.web.exposure.include=connections")
			.run((context) -> assertThat(context).hasSingleBean(ConnectionsEndpoint.class)
				.hasSingleBean(ConnectionsEndpointWebExtension.class));
	}

	@Test
	void jmxExposureAddsOnlyTheEndpoint() {
		this.runner
			.withPropertyValues(feed(), "spring.jmx.enabled=true",
					"management.endpoints.jmx.exposure.include=connections")
			.run((context) -> assertThat(context).hasSingleBean(ConnectionsEndpoint.class)
				.doesNotHaveBean(ConnectionsEndpointWebExtension.class));
	}

	@Test
	void absentWhenTheMasterSwitchIsOff() {
		this.runner
			.withPropertyValues(feed(), "connection-manager.enabled=false",
					"management.endpoints.web.exposure.include=connections")
			.run((context) -> assertThat(context).doesNotHaveBean(ConnectionsEndpoint.class));
	}

	@Test
	void userEndpointWins() {
		this.runner.withPropertyValues(feed(), "management.endpoints.web.exposure.include=connections")
			.withBean("myEndpoint", ConnectionsEndpoint.class, () -> new ConnectionsEndpoint(null, (name) -> true) {
			})
			.run((context) -> assertThat(context).hasSingleBean(ConnectionsEndpoint.class).hasBean("myEndpoint"));
	}

	@Test
	@SuppressWarnings("unchecked")
	void operations() {
		this.runner
			.withPropertyValues(feed(), "connection-manager.connections.feed.headers.Authorization=Bearer s3cr3t",
					"management.endpoints.web.exposure.include=connections")
			.run((context) -> {
				ManagedConnection feed = context.getBean("feed", ManagedConnection.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> feed.state() == ConnectionState.CONNECTED);
				ConnectionsEndpoint endpoint = context.getBean(ConnectionsEndpoint.class);
				assertThat(endpoint.connections().connections()).containsOnlyKeys("feed");
				Map<String, Object> status = endpoint.connection("feed");
				assertThat(status).containsEntry("state", "CONNECTED")
					.containsEntry("url", server.get().uri("/feed").toString());
				assertThat(status.toString()).doesNotContain("s3cr3t");
				assertThat(endpoint.connection("nope")).isNull();
				assertThatIllegalArgumentException().isThrownBy(() -> endpoint.perform("feed", "explode"))
					.withMessageContaining("expected one of: connect, disconnect, reconnect, yield");

				ConnectionsEndpointWebExtension web = context.getBean(ConnectionsEndpointWebExtension.class);
				WebEndpointResponse<Object> badAction = web.perform("feed", "explode");
				assertThat(badAction.getStatus()).isEqualTo(400);
				assertThat((Map<String, Object>) badAction.getBody()).containsEntry("message",
						"Unknown action \"explode\"; expected one of: connect, disconnect, reconnect, yield");
				assertThat(web.perform("feed", null).getStatus()).isEqualTo(400);
				assertThat(web.perform("nope", "connect").getStatus()).isEqualTo(404);

				assertThat(web.perform("feed", "disconnect").getStatus()).isEqualTo(202);
				await().atMost(Duration.ofSeconds(10)).until(() -> feed.state() == ConnectionState.DISCONNECTED);
				assertThat(web.perform("feed", "CONNECT").getStatus()).isEqualTo(202);
				await().atMost(Duration.ofSeconds(10)).until(() -> feed.state() == ConnectionState.CONNECTED);
			});
	}

	private static String feed() {
		return "connection-manager.connections.feed.url=" + server.get().uri("/feed");
	}

}
