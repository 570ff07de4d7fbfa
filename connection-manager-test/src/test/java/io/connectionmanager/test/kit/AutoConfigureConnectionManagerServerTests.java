package io.connectionmanager.test.kit;

import java.time.Duration;

import io.connectionmanager.core.ManagedConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;

import static io.connectionmanager.core.failure.FailureKind.CONNECTION_LOST;
import static io.connectionmanager.core.failure.FailureKind.HEARTBEAT_TIMEOUT;
import static io.connectionmanager.core.failure.FailureKind.UPGRADE_REJECTED;
import static io.connectionmanager.core.state.ConnectionState.CONNECTED;
import static io.connectionmanager.core.state.ConnectionState.CONNECTING;
import static io.connectionmanager.core.state.ConnectionState.RECONNECTING;
import static io.connectionmanager.test.kit.ConnectionManagerAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The annotation points a property-only connection of a real Boot application at the
 * scripted server; the assertions follow it through drop, freeze and reject.
 */
@SpringBootTest(properties = { "connection-manager.connections.feed.heartbeat.interval=300ms",
		"connection-manager.connections.feed.heartbeat.timeout=700ms",
		"connection-manager.connections.feed.reconnect.initial-delay=100ms",
		"connection-manager.connections.feed.reconnect.max-delay=300ms",
		"connection-manager.connections.feed.circuit-breaker.enabled=false",
		"connection-manager.connections.feed.critical=false" })
@AutoConfigureConnectionManagerServer(connection = "feed", path = "/stream")
class AutoConfigureConnectionManagerServerTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	@Autowired
	private ScriptedServer server;

	@Autowired
	@Qualifier("feed")
	private ManagedConnection feed;

	@AfterEach
	void reset() {
		this.server.accept().unfreeze();
	}

	@Test
	void connectionPointsAtTheServer() {
		assertThat(this.feed).reaches(CONNECTED).within(WAIT).isIn(CONNECTED);
		org.assertj.core.api.Assertions.assertThat(this.feed.settings().url()).isEqualTo(this.server.url("/stream"));
	}

	@Test
	void dropIsSeenAsLostConnectionAndRecovered() {
		assertThat(this.feed).reaches(CONNECTED).within(WAIT);
		EventRecorder events = EventRecorder.attachTo(this.feed);
		this.server.drop();
		assertThat(events).within(WAIT)
			.eventuallyPassedThrough(RECONNECTING, CONNECTING, CONNECTED)
			.eventuallySawFailure(CONNECTION_LOST);
	}

	@Test
	void freezeIsSeenAsMissedHeartbeat() {
		assertThat(this.feed).reaches(CONNECTED).within(WAIT);
		EventRecorder events = EventRecorder.attachTo(this.feed);
		this.server.freeze();
		assertThat(events).within(WAIT).eventuallyMissedHeartbeat().eventuallySawFailure(HEARTBEAT_TIMEOUT);
	}

	@Test
	void rejectionIsSeenAsRejectedUpgrade() {
		assertThat(this.feed).reaches(CONNECTED).within(WAIT);
		EventRecorder events = EventRecorder.attachTo(this.feed);
		this.server.reject(503).drop();
		assertThat(events).within(WAIT).eventuallySawFailure(UPGRADE_REJECTED);
		this.server.accept();
		assertThat(this.feed).reaches(CONNECTED).within(WAIT);
	}

	@Test
	void failedAssertionsNameWhatWasSeen() {
		assertThat(this.feed).reaches(CONNECTED).within(WAIT);
		EventRecorder events = EventRecorder.attachTo(this.feed);
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(events).within(Duration.ofMillis(100)).eventuallySawFailure(UPGRADE_REJECTED))
			.withMessageContaining("a failure of kind UPGRADE_REJECTED but saw []");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.feed).reaches(RECONNECTING).within(Duration.ofMillis(100)))
			.withMessageContaining("Expected connection 'feed' to reach RECONNECTING within PT0.1S");
	}

	@SpringBootApplication
	static class App {

	}

}
