package io.connectionmanager.core.handler;

import io.connectionmanager.core.outbound.NotConnectedException;
import io.connectionmanager.core.state.ConnectionState;

/**
 * A session-bound operation ({@link ConnectionSession#send},
 * {@link ConnectionSession#request}) could not complete because its session ended first.
 * Nothing sent through a session is carried over to the next one.
 */
public class SessionEndedException extends NotConnectedException {

	public SessionEndedException(String connection, int attempt, ConnectionState state, String what) {
		super(connection, state,
				"Session " + attempt + " of connection '" + connection + "' ended (now " + state + "): " + what);
	}

}
