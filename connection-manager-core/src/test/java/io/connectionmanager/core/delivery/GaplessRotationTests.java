package io.connectionmanager.core.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.config.InvalidConnectionSettingException;
import io.connectionmanager.core.config.ReconnectSettings;
import io.connectionmanager.core.config.ResumeSettings;
import io.connectionmanager.core.config.RotationSettings;
import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.testing.RecordingListener;
import io.connectionmanager.core.event.ConnectionRotated;
import io.connectionmanager.core.event.StateChange;
import io.connectionmanager.core.backoff.Jitter;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.state.Trigger;
import io.connectionmanager.core.testing.Measurements;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.test.server.SequencedStreamServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code max-connection-age}: a numbered stream is handed over to a new session before
 * the age limit, with nothing lost, nothing delivered twice and the state never leaving
 * CONNECTED; without overlap, and when the handover fails, it is a reconnect that resume
 * covers; a drain message starts the same handover; a server's own 1001 is a reconnect
 * without backoff.
 */
class GaplessRotationTests {

	private static ConnectionSettings.Builder settings(SequencedStreamServer server, RotationSettings rotation) {
		return ConnectionSettings.builder("rotating")
			.url(server.uri("/stream").toString())
			.reconnect(new ReconnectSettings(Duration.ofMillis(5), Duration.ofMillis(50), 2.0, Jitter.FULL, -1,
					Duration.ofSeconds(30)))
			.heartbeat(HeartbeatSettings.disabled())
			.circuitBreaker(CircuitBreakerSettings.disabled())
			.resume(ResumeSettings.inMemory(ResumeSettings.Carrier.QUERY_PARAMETER, "resume-from"))
			.rotation(rotation);
	}

	private static ManagedConnection connect(ConnectionRuntime runtime, ConnectionSettings settings,
			ConnectionHandler handler, RecordingListener events) {
		ManagedConnection connection = ManagedConnection.builder(settings)
			.runtime(runtime)
			.handler(handler)
			.listener(events)
			.build();
		connection.connect();
		return connection;
	}

	@Test
	void aStreamOf100000SurvivesARotationEveryTwoSecondsWithNothingLostOrRepeatedAndNoStateChange() {
		long total = 100_000;
		try (ConnectionRuntime runtime = ConnectionRuntime.create(2);
				SequencedStreamServer server = SequencedStreamServer.start(total, 10, 1000)) {
			SequenceCollector collector = new SequenceCollector(0);
			RecordingListener events = new RecordingListener();
			ManagedConnection connection = connect(runtime,
					settings(server, new RotationSettings(Duration.ofSeconds(2), true, null)).build(), collector,
					events);
			await().atMost(Duration.ofSeconds(90)).until(() -> collector.received() >= total);
			assertThat(collector.received()).isEqualTo(total);
			assertThat(collector.last()).isEqualTo(total);
			assertThat(collector.jumps()).isEmpty();
			assertThat(events.rotations).as("rotations").hasSizeGreaterThanOrEqualTo(3);
			assertThat(events.rotations).allMatch(ConnectionRotated::overlapped)
				.allMatch((rotated) -> rotated.reason() == ConnectionRotated.Reason.MAX_AGE)
				.allMatch((rotated) -> rotated.oldSessionAge().toMillis() >= 1900);
			assertThat(events.changes).as("only the first connect: the state never left CONNECTED")
				.extracting(StateChange::current)
				.containsExactly(ConnectionState.CONNECTING, ConnectionState.AUTHENTICATING, ConnectionState.CONNECTED);
			assertThat(server.server().handshakeCount()).isEqualTo(events.rotations.size() + 1);
			assertThat(server.server().handshakes().get(1).uri()).contains("resume-from=");
			assertThat(connection.snapshot().gaps()).isZero();
			Measurements.record("rotation-100000", Map.of("rotations", events.rotations.size(), "duplicatesDropped",
					connection.snapshot().duplicatesDropped(), "handoverMillisMax",
					events.rotations.stream().mapToLong((rotated) -> rotated.handover().toMillis()).max().orElse(0)));
			connection.close();
		}
	}

	@Test
	void withoutOverlapTheRotationIsAReconnectThatResumeCovers() {
		long total = 30_000;
		try (ConnectionRuntime runtime = ConnectionRuntime.create(2);
				SequencedStreamServer server = SequencedStreamServer.start(total, 10, 1000)) {
			SequenceCollector collector = new SequenceCollector(0);
			RecordingListener events = new RecordingListener();
			ManagedConnection connection = connect(runtime,
					settings(server, new RotationSettings(Duration.ofSeconds(1), false, null)).build(), collector,
					events);
			await().atMost(Duration.ofSeconds(60)).until(() -> collector.received() >= total);
			assertThat(collector.jumps()).isEmpty();
			assertThat(collector.received()).isEqualTo(total);
			assertThat(events.rotations).isNotEmpty().noneMatch(ConnectionRotated::overlapped);
			assertThat(events.changes).extracting(StateChange::trigger).contains(Trigger.RECONNECT_REQUESTED);
			assertThat(server.server().closeCodesReceived()).contains(1000);
			connection.close();
		}
	}

	@Test
	void aDrainMessageStartsTheHandoverAndIsNotDelivered() {
		try (ConnectionRuntime runtime = ConnectionRuntime.create(1);
				SequencedStreamServer server = SequencedStreamServer.start(0)) {
			List<String> delivered = new CopyOnWriteArrayList<>();
			RecordingListener events = new RecordingListener();
			ManagedConnection connection = ManagedConnection
				.builder(settings(server, new RotationSettings(null, true, "\"drain\"")).build())
				.runtime(runtime)
				.handler(new ConnectionHandler() {
					@Override
					public void onMessage(Message message) {
						delivered.add(((Message.Text) message).text());
					}
				})
				.listener(events)
				.build();
			connection.connect();
			await().atMost(Duration.ofSeconds(10)).until(() -> connection.state() == ConnectionState.CONNECTED);
			server.server().broadcastText("hello");
			server.server().broadcastText("{\"type\":\"drain\"}");
			await().atMost(Duration.ofSeconds(10)).until(() -> events.rotations.size() == 1);
			assertThat(events.rotations.get(0).reason()).isEqualTo(ConnectionRotated.Reason.DRAIN);
			assertThat(events.rotations.get(0).overlapped()).isTrue();
			await().atMost(Duration.ofSeconds(10)).until(() -> server.server().closeCodesReceived().contains(1000));
			assertThat(server.server().handshakeCount()).isEqualTo(2);
			assertThat(delivered).containsExactly("hello");
			assertThat(connection.state()).isEqualTo(ConnectionState.CONNECTED);
			assertThat(events.changes).hasSize(3);
			connection.close();
		}
	}

	@Test
	void aFailedHandoverFallsBackToAReconnectWithResume() {
		long total = 20_000;
		try (ConnectionRuntime runtime = ConnectionRuntime.create(2);
				SequencedStreamServer server = SequencedStreamServer.start(total, 10, 1000)) {
			SequenceCollector collector = new SequenceCollector(0);
			RecordingListener events = new RecordingListener();
			ManagedConnection connection = connect(runtime,
					settings(server, new RotationSettings(Duration.ofSeconds(1), true, null)).build(), collector,
					events);
			await().atMost(Duration.ofSeconds(10)).until(() -> collector.received() > 100);
			server.server().rejectUpgrades(503);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> events.changes.stream()
					.anyMatch((change) -> change.trigger() == Trigger.RECONNECT_REQUESTED));
			server.server().acceptUpgrades();
			await().atMost(Duration.ofSeconds(60)).until(() -> collector.received() >= total);
			assertThat(collector.jumps()).isEmpty();
			assertThat(collector.received()).isEqualTo(total);
			connection.close();
		}
	}

	@Test
	void aServerGoingAwayIsAReconnectWithoutBackoff() {
		try (ConnectionRuntime runtime = ConnectionRuntime.create(1);
				SequencedStreamServer server = SequencedStreamServer.start(0)) {
			RecordingListener events = new RecordingListener();
			ManagedConnection connection = ManagedConnection
				.builder(ConnectionSettings.builder("going-away")
					.url(server.uri("/stream").toString())
					.reconnect(new ReconnectSettings(Duration.ofSeconds(30), Duration.ofSeconds(60), 2.0, Jitter.NONE,
							-1, Duration.ofSeconds(30)))
					.heartbeat(HeartbeatSettings.disabled())
					.build())
				.runtime(runtime)
				.listener(events)
				.build();
			connection.connect();
			await().atMost(Duration.ofSeconds(10)).until(() -> connection.state() == ConnectionState.CONNECTED);
			server.server().closeAll(1001, "going away");
			await().atMost(Duration.ofSeconds(10)).until(() -> server.server().handshakeCount() == 2);
			StateChange reconnecting = events.changes.stream()
				.filter((change) -> change.current() == ConnectionState.RECONNECTING)
				.findFirst()
				.orElseThrow();
			assertThat(reconnecting.retryIn()).isEqualTo(Duration.ZERO);
			connection.close();
		}
	}

	@Test
	void anAgeBelowOneSecondIsRefusedWithThePropertyName() {
		assertThatExceptionOfType(InvalidConnectionSettingException.class)
			.isThrownBy(() -> new RotationSettings(Duration.ofMillis(500), true, null))
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("max-connection-age"));
	}

}
