package io.connectionmanager.core.event;

/**
 * Observes a connection without Spring. Called off the event loops, in order for each
 * connection, on the connection's listener lane (the shared handler pool): a slow
 * listener delays only later events of its own connection. Exceptions are logged and do
 * not affect the connection.
 */
public interface ConnectionListener {

	/** Every transition, with its cause and attempt number. */
	default void onStateChanged(StateChange change) {
	}

	/** A heartbeat went unanswered (followed by a transition to RECONNECTING). */
	default void onHeartbeatMissed(HeartbeatMissed missed) {
	}

	/** Numeric positions were skipped. */
	default void onSequenceGap(SequenceGap gap) {
	}

	/** A duplicate was dropped before delivery. */
	default void onDuplicateDropped(DuplicateDropped duplicate) {
	}

	/** A subscription was refused on the current session. */
	default void onSubscriptionFailed(SubscriptionFailed failed) {
	}

	/** A session was replaced before the server's age limit or on a drain message. */
	default void onRotated(ConnectionRotated rotated) {
	}

	/** No application message arrived for {@code inbound.max-silence}. */
	default void onDataSilence(DataSilence silence) {
	}

}
