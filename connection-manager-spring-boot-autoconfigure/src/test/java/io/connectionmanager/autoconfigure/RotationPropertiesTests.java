package io.connectionmanager.autoconfigure;

import java.time.Duration;

import io.connectionmanager.core.config.RotationSettings;
import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

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

}
