package io.connectionmanager.actuate;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.connectionmanager.core.state.ConnectionSnapshot;
import io.connectionmanager.core.failure.Failure;
import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.core.state.ConnectionState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The actuator's view of a connection is its snapshot, every field of it, rendered for
 * JSON, plus url and critical; the documented JSON shape is kept.
 */
class ConnectionStatusTests {

	private static final Instant SINCE = Instant.parse("2026-01-02T03:04:05Z");

	private static final URI URL = URI.create("wss://feed.example.com:8443/v1/stream?token=s3cr3t");

	@Test
	void everySnapshotFieldIsShownInTheDocumentedShape() {
		Failure failure = new Failure(FailureKind.CONNECTION_REFUSED, "Connection refused", false, null, null,
				SINCE.minusSeconds(1), null);
		ConnectionSnapshot snapshot = new ConnectionSnapshot("feed", ConnectionState.RECONNECTING, SINCE, 3, 7, failure,
				"OPEN", Duration.ofMillis(12), SINCE.plusSeconds(2), 10, 11, 12, "42", 13, 14, 15, 16, 17, 18, 19, 20,
				"wss://feed.example.com:8443");
		Map<String, Object> status = ConnectionStatus.of(snapshot, URL, false);
		assertThat(status).containsExactly(Map.entry("name", "feed"),
				Map.entry("url", "wss://feed.example.com:8443/v1/stream"), Map.entry("state", "RECONNECTING"),
				Map.entry("since", "2026-01-02T03:04:05Z"), Map.entry("attempt", 3), Map.entry("totalAttempts", 7L),
				Map.entry("lastFailure", "CONNECTION_REFUSED: Connection refused"),
				Map.entry("lastFailureAt", "2026-01-02T03:04:04Z"), Map.entry("circuitBreaker", "OPEN"),
				Map.entry("heartbeatRoundTrip", "PT0.012S"), Map.entry("nextAttemptAt", "2026-01-02T03:04:07Z"),
				Map.entry("messagesIn", 10L), Map.entry("messagesOut", 11L), Map.entry("buffered", 12),
				Map.entry("resumePosition", "42"), Map.entry("duplicatesDropped", 13L), Map.entry("gaps", 14L),
				Map.entry("droppedOutbound", 15L), Map.entry("inboundQueued", 16), Map.entry("inboundQueuedBytes", 17L),
				Map.entry("inboundPeakBytes", 18L), Map.entry("handlerErrors", 19L),
				Map.entry("outboundPendingBytes", 20L), Map.entry("endpoint", "wss://feed.example.com:8443"),
				Map.entry("critical", false));
		assertThat(status.toString()).doesNotContain("s3cr3t");
	}

	@Test
	void aFieldAddedToTheSnapshotShowsUpWithoutASecondList() {
		Map<String, Object> status = ConnectionStatus.of(idle(), URL, true);
		List<String> fields = Arrays.stream(ConnectionSnapshot.class.getRecordComponents())
			.map((component) -> component.getName().equals("circuitBreakerState") ? "circuitBreaker"
					: component.getName())
			.toList();
		assertThat(status).containsKeys(fields.toArray(String[]::new));
	}

	@Test
	void absentValuesAreNullAndSelectLeavesThemOut() {
		Map<String, Object> status = ConnectionStatus.of(idle(), URL, true);
		assertThat(status).containsEntry("lastFailure", null)
			.containsEntry("lastFailureAt", null)
			.containsEntry("heartbeatRoundTrip", null);
		assertThat(ConnectionStatus.select(status, List.of("state", "lastFailure", "critical")))
			.containsExactly(Map.entry("state", "DISCONNECTED"), Map.entry("critical", true));
	}

	private static ConnectionSnapshot idle() {
		return new ConnectionSnapshot("feed", ConnectionState.DISCONNECTED, SINCE, 0, 0, null, "CLOSED", null, null, 0,
				0, 0, null, 0, 0, 0, 0, 0, 0, 0, 0, "wss://feed.example.com:8443");
	}

}
