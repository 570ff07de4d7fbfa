package io.connectionmanager.core.event;

/**
 * Observes a connection without Spring. Called on the connection's event loop, in order;
 * keep it quick (hand slow work to another executor) and do not block. Exceptions are
 * logged and do not affect the connection.
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

}
