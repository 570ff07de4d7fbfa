package io.connectionmanager.core.state;

/**
 * What can make a connection change state (a trigger; "event" is kept for what is
 * published). Each one goes through {@link TransitionTable}; nothing changes state any
 * other way.
 */
public enum Trigger {

	/** The application (or the actuator) asked to connect. */
	CONNECT_REQUESTED,

	/** The application asked to drop whatever there is and connect afresh. */
	RECONNECT_REQUESTED,

	/** The application asked to disconnect. */
	DISCONNECT_REQUESTED,

	/** The transport completed its handshake. */
	TRANSPORT_OPENED,

	/** The transport attempt or an open transport failed with a retryable failure. */
	TRANSPORT_FAILED,

	/** The peer closed an open transport (close frame or end of stream). */
	TRANSPORT_CLOSED,

	/** The handler accepted the authentication/resume exchange. */
	AUTH_SUCCEEDED,

	/** The authentication step failed in a retryable way (timeout, handler error). */
	AUTH_FAILED,

	/**
	 * A failure classified as fatal (401/403 on upgrade, rejected credentials, bad
	 * certificate, ...).
	 */
	FATAL_FAILURE,

	/**
	 * No pong or other inbound traffic arrived within the heartbeat timeout after a ping.
	 */
	HEARTBEAT_MISSED,

	/** The backoff delay is over and the circuit breaker granted an attempt. */
	BACKOFF_ELAPSED,

	/**
	 * The backoff delay is over but the circuit breaker is open: wait for it to
	 * half-open.
	 */
	CIRCUIT_OPENED,

	/** The circuit breaker half-opened and granted its probe attempt. */
	CIRCUIT_HALF_OPEN,

	/** The backoff policy gave up (max attempts reached). */
	RETRIES_EXHAUSTED

}
