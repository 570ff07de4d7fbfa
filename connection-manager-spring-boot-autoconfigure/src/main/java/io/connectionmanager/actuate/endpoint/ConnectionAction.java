package io.connectionmanager.actuate.endpoint;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import io.connectionmanager.core.ManagedConnection;

/**
 * What an operator can ask a connection to do through {@code POST
 * /actuator/connections/{name}}.
 */
public enum ConnectionAction {

	/**
	 * Connect, or attempt at once while RECONNECTING or FATAL (may probe an open circuit
	 * breaker).
	 */
	CONNECT,

	/** Close with code 1000 and stay DISCONNECTED. */
	DISCONNECT,

	/** Drop any session or attempt and connect afresh. */
	RECONNECT,

	/**
	 * Exclusive connections only: close (1000) and hand the role over to another replica.
	 */
	YIELD;

	/** The accepted values, as a user types them. */
	public static final String EXPECTED = Arrays.stream(values())
		.map(ConnectionAction::value)
		.collect(Collectors.joining(", "));

	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	void applyTo(ManagedConnection connection) {
		switch (this) {
			case CONNECT -> connection.connect();
			case DISCONNECT -> connection.disconnect();
			case RECONNECT -> connection.reconnect();
			case YIELD -> throw new IllegalArgumentException("yield is performed by the connection's roles");
		}
	}

	/**
	 * The action named by {@code value} (case-insensitive).
	 * @throws IllegalArgumentException naming the accepted values when there is none
	 */
	public static ConnectionAction of(String value) {
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException("Missing \"action\"; expected one of: " + EXPECTED);
		}
		for (ConnectionAction action : values()) {
			if (action.value().equals(value.trim().toLowerCase(Locale.ROOT))) {
				return action;
			}
		}
		throw new IllegalArgumentException("Unknown action \"" + value + "\"; expected one of: " + EXPECTED);
	}

}
