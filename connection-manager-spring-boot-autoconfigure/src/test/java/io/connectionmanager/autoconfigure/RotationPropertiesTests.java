package io.connectionmanager.autoconfigure;

import java.time.Duration;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.config.RotationSettings;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.event.ConnectionRotatedEvent;
import io.connectionmanager.event.ConnectionStateChangedEvent;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code max-connection-age} and {@code rotation.*} bind and merge with {@code defaults};
 * an exclusive connection never overlaps two sessions, and asking it to is an error
 * naming the property.
 */
class RotationPropertiesTests {

	private static final String FEED = "connection-manager.connections.feed.";

	private static RotationSettings rotation(MockEnvironment environment) {
		return ConnectionManagerBinding.bind(environment).definitions().get("feed").settings().rotation();
	}

	@Test
	void aRotatedConnectionPublishesConnectionRotatedEventAndStaysConnected() {
		try (TestWebSocketServer server = TestWebSocketServer.start()) {
			new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(ConnectionManagerAutoConfiguration.class))
				.withUserConfiguration(Published.class)
				.withPropertyValues("connection-manager.runtime.threads=1", FEED + "url=" + server.uri("/feed"),
						FEED + "max-connection-age=1s")
				.run((context) -> {
					Published published = context.getBean(Published.class);
					await().atMost(Duration.ofSeconds(15)).until(() -> published.rotations.size() >= 2);
					assertThat(published.rotations).allMatch(ConnectionRotatedEvent::isOverlapped)
						.allMatch((event) -> event.getConnectionName().equals("feed"));
					assertThat(published.states).extracting(ConnectionStateChangedEvent::getCurrent)
						.containsExactly(ConnectionState.CONNECTING, ConnectionState.AUTHENTICATING,
								ConnectionState.CONNECTED);
					assertThat(context.getBean("feed", ManagedConnection.class).state())
						.isEqualTo(ConnectionState.CONNECTED);
					assertThat(server.closeCodesReceived()).contains(1000);
				});
		}
	}

	@Test
	void withoutTheKeysSessionsAreNeverRotated() {
		RotationSettings rotation = rotation(new MockEnvironment().withProperty(FEED + "url", "ws://localhost/feed"));
		assertThat(rotation.maxAge()).isNull();
		assertThat(rotation.overlap()).isTrue();
		assertThat(rotation.drainMessage()).isNull();
	}

	@Test
	void theKeysBindAndMergeWithDefaults() {
		RotationSettings rotation = rotation(new MockEnvironment().withProperty(FEED + "url", "ws://localhost/feed")
			.withProperty("connection-manager.defaults.max-connection-age", "23h")
			.withProperty(FEED + "rotation.drain-message", "\"type\":\"reconnect\""));
		assertThat(rotation.maxAge()).isEqualTo(Duration.ofHours(23));
		assertThat(rotation.overlap()).isTrue();
		assertThat(rotation.drainMessage()).isEqualTo("\"type\":\"reconnect\"");
	}

	@Test
	void anExclusiveConnectionRotatesWithoutOverlap() {
		RotationSettings rotation = rotation(new MockEnvironment().withProperty(FEED + "url", "ws://localhost/feed")
			.withProperty(FEED + "max-connection-age", "23h")
			.withProperty(FEED + "cluster.mode", "exclusive"));
		assertThat(rotation.overlap()).isFalse();
	}

	@Test
	void askingAnExclusiveConnectionToOverlapNamesTheProperty() {
		MockEnvironment environment = new MockEnvironment().withProperty(FEED + "url", "ws://localhost/feed")
			.withProperty(FEED + "cluster.mode", "exclusive")
			.withProperty(FEED + "rotation.overlap", "true");
		assertThatExceptionOfType(InvalidConnectionPropertyException.class)
			.isThrownBy(() -> ConnectionManagerBinding.bind(environment))
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo(FEED + "rotation.overlap"));
	}

	@Test
	void anAgeBelowOneSecondNamesTheProperty() {
		MockEnvironment environment = new MockEnvironment().withProperty(FEED + "url", "ws://localhost/feed")
			.withProperty(FEED + "max-connection-age", "500ms");
		assertThatExceptionOfType(InvalidConnectionPropertyException.class)
			.isThrownBy(() -> ConnectionManagerBinding.bind(environment))
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo(FEED + "max-connection-age"));
	}

	@Configuration(proxyBeanMethods = false)
	static class Published {

		private final List<ConnectionRotatedEvent> rotations = new CopyOnWriteArrayList<>();

		private final List<ConnectionStateChangedEvent> states = new CopyOnWriteArrayList<>();

		@EventListener
		void rotated(ConnectionRotatedEvent event) {
			this.rotations.add(event);
		}

		@EventListener
		void changed(ConnectionStateChangedEvent event) {
			this.states.add(event);
		}

	}

}
