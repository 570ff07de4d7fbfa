package io.connectionmanager.core.event;

import java.time.Duration;
import java.time.Instant;

/**
 * A session was replaced by a new one before the server's age limit
 * ({@code max-connection-age}) or because the server asked to drain
 * ({@code rotation.drain-message}). With overlap the state stayed CONNECTED throughout
 * and no {@link StateChange} was reported; without it the handover went through
 * CONNECTING and resume covered the gap.
 *
 * @param connection the connection's name
 * @param reason why the session was replaced
 * @param overlapped whether the new session was authenticated before the old one closed
 * @param oldSessionAge how long the replaced session had been CONNECTED
 * @param handover from the start of the handover to the new session taking over delivery
 * @param timestamp when the new session took over
 * @param endpoint the new session's endpoint, as scheme://host:port
 */
public record ConnectionRotated(String connection, Reason reason, boolean overlapped, Duration oldSessionAge,
		Duration handover, Instant timestamp, String endpoint) {

	/** Why a session was replaced. */
	public enum Reason {

		/** It reached {@code max-connection-age}. */
		MAX_AGE,

		/** The server sent a drain message. */
		DRAIN,

		/**
		 * With {@code endpoint-selection: ordered}, the session moved back to the primary
		 * after {@code endpoint-failback-after} on another endpoint.
		 */
		FAILBACK

	}

}
