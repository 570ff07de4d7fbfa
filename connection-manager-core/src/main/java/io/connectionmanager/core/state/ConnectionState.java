package io.connectionmanager.core.state;

/**
 * The six states of a managed connection. Names are part of the public contract (health,
 * events, metrics).
 */
public enum ConnectionState {

	/**
	 * Not connected and not trying to be: the initial state, and where an explicit
	 * disconnect leads.
	 */
	DISCONNECTED,

	/**
	 * A transport attempt is under way (TCP, TLS, HTTP upgrade), bounded by
	 * {@code connect-timeout}.
	 */
	CONNECTING,

	/**
	 * The transport is open; the handler's authentication/resume step runs, bounded by
	 * its own timeout.
	 */
	AUTHENTICATING,

	/** Usable: {@code send} works, heartbeats run. */
	CONNECTED,

	/** Waiting for the next attempt: a backoff delay, or an open circuit breaker. */
	RECONNECTING,

	/**
	 * Stopped after a failure that retrying cannot fix; left only by an explicit connect
	 * or reconnect.
	 */
	FATAL;

	/** Whether a transport session may exist in this state. */
	public boolean hasSession() {
		return this == AUTHENTICATING || this == CONNECTED;
	}

}
