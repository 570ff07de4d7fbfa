package io.connectionmanager.core.state;

import java.time.Duration;
import java.time.Instant;

import io.connectionmanager.core.failure.Failure;
import io.connectionmanager.core.state.ConnectionState;

/**
 * An immutable view of a connection at one moment, safe to read from any thread.
 *
 * @param name the connection's name
 * @param state the current state
 * @param since when it entered that state
 * @param attempt attempts since the connection was last stable (0 once stable)
 * @param totalAttempts every connect attempt since creation
 * @param lastFailure the most recent failure, or {@code null}
 * @param circuitBreakerState the Resilience4j breaker state name, or {@code DISABLED}
 * @param heartbeatRoundTrip the last measured ping round trip, or {@code null}
 * @param nextAttemptAt when the next attempt is due while RECONNECTING, else {@code null}
 * @param messagesIn messages delivered to the handler
 * @param messagesOut messages sent
 * @param buffered outbound messages waiting for CONNECTED
 * @param resumePosition the last position delivered, or {@code null}
 * @param duplicatesDropped duplicates dropped before delivery
 * @param gaps sequence gaps detected
 * @param droppedOutbound buffered messages discarded by the drop-oldest overflow policy
 * @param inboundQueued received messages waiting for the handler
 * @param inboundQueuedBytes their payload bytes
 * @param inboundPeakBytes the most payload bytes ever waiting for the handler
 * @param handlerErrors handler and listener callbacks that threw
 * @param outboundPendingBytes bytes written to the transport but not yet taken by the
 * network (a peer that stops reading makes this grow, up to the write-buffer high water
 * mark)
 * @param endpoint the endpoint in use or tried next, as scheme://host:port (with
 * {@code urls}, one of them)
 */
public record ConnectionSnapshot(String name, ConnectionState state, Instant since, int attempt, long totalAttempts,
		Failure lastFailure, String circuitBreakerState, Duration heartbeatRoundTrip, Instant nextAttemptAt,
		long messagesIn, long messagesOut, int buffered, String resumePosition, long duplicatesDropped, long gaps,
		long droppedOutbound, int inboundQueued, long inboundQueuedBytes, long inboundPeakBytes, long handlerErrors,
		long outboundPendingBytes, String endpoint) {

}
