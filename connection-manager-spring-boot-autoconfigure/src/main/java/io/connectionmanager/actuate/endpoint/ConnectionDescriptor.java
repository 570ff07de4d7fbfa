package io.connectionmanager.actuate.endpoint;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;

import io.connectionmanager.core.ConnectionSnapshot;
import io.connectionmanager.core.ManagedConnection;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

/**
 * What the {@code connections} endpoint shows of one connection: its snapshot plus where
 * it connects to. Never any header, credential or query string (URLs can carry tokens).
 * Times are ISO-8601 instants, durations ISO-8601 durations.
 *
 * @param name the connection's name
 * @param url scheme, host, port and path only
 * @param state one of the six state names
 * @param since when it entered that state
 * @param attempt attempts since it was last stable
 * @param totalAttempts every connect attempt since creation
 * @param lastFailure description of the most recent failure, or {@code null}
 * @param lastFailureAt when that failure happened, or {@code null}
 * @param circuitBreaker the breaker state, or {@code DISABLED}
 * @param heartbeatRoundTrip the last measured ping round trip, or {@code null}
 * @param nextAttemptAt when the next attempt is due while RECONNECTING, or {@code null}
 * @param messagesIn messages delivered to the handler
 * @param messagesOut messages sent
 * @param buffered outbound messages waiting for CONNECTED
 * @param resumePosition the last stream position delivered, or {@code null}
 * @param duplicatesDropped duplicates dropped before delivery
 * @param gaps sequence gaps detected
 * @param droppedOutbound buffered messages discarded by the drop-oldest overflow policy
 * @param inboundQueued received messages waiting for the handler
 * @param inboundQueuedBytes their payload bytes
 * @param critical whether it takes health DOWN while not connected
 */
public record ConnectionDescriptor(String name, String url, String state, String since, int attempt, long totalAttempts,
		String lastFailure, String lastFailureAt, String circuitBreaker, String heartbeatRoundTrip,
		String nextAttemptAt, long messagesIn, long messagesOut, int buffered, String resumePosition,
		long duplicatesDropped, long gaps, long droppedOutbound, int inboundQueued, long inboundQueuedBytes,
		boolean critical) implements OperationResponseBody {

	static ConnectionDescriptor of(ManagedConnection connection, boolean critical) {
		ConnectionSnapshot snapshot = connection.snapshot();
		return new ConnectionDescriptor(snapshot.name(), withoutSecrets(connection.settings().url()),
				snapshot.state().name(), text(snapshot.since()), snapshot.attempt(), snapshot.totalAttempts(),
				(snapshot.lastFailure() != null) ? snapshot.lastFailure().describe() : null,
				(snapshot.lastFailure() != null) ? text(snapshot.lastFailure().timestamp()) : null,
				snapshot.circuitBreakerState(), text(snapshot.heartbeatRoundTrip()), text(snapshot.nextAttemptAt()),
				snapshot.messagesIn(), snapshot.messagesOut(), snapshot.buffered(), snapshot.resumePosition(),
				snapshot.duplicatesDropped(), snapshot.gaps(), snapshot.droppedOutbound(), snapshot.inboundQueued(),
				snapshot.inboundQueuedBytes(), critical);
	}

	private static String withoutSecrets(URI url) {
		try {
			return new URI(url.getScheme(), null, url.getHost(), url.getPort(), url.getPath(), null, null).toString();
		}
		catch (URISyntaxException ex) {
			return url.getScheme() + "://" + url.getHost();
		}
	}

	private static String text(Instant instant) {
		return (instant != null) ? instant.toString() : null;
	}

	private static String text(Duration duration) {
		return (duration != null) ? duration.toString() : null;
	}

}
