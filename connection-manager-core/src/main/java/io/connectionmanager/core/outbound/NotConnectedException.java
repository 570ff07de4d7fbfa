package io.connectionmanager.core.outbound;

import io.connectionmanager.core.state.ConnectionState;

/**
 * {@code send} was called while the connection is not CONNECTED (and its policy does not
 * buffer).
 */
public class NotConnectedException extends IllegalStateException {

	private final String connection;

	private final ConnectionState state;

	public NotConnectedException(String connection, ConnectionState state) {
		this(connection, state, "Connection '" + connection + "' is " + state + ", not CONNECTED: message not sent");
	}

	protected NotConnectedException(String connection, ConnectionState state, String message) {
		super(message);
		this.connection = connection;
		this.state = state;
	}

	public String connection() {
		return this.connection;
	}

	public ConnectionState state() {
		return this.state;
	}

}
