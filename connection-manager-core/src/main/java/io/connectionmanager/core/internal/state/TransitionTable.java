package io.connectionmanager.core.internal.state;

import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.state.Trigger;
import java.util.EnumMap;
import java.util.Map;

import static io.connectionmanager.core.state.Trigger.*;
import static io.connectionmanager.core.state.ConnectionState.*;

/**
 * The connection state machine as data: for each state, the events it accepts and where
 * they lead. Any pair not listed is rejected. Kept as one table so that it can be read,
 * printed and tested exhaustively.
 */
public final class TransitionTable {

	private static final TransitionTable STANDARD = new TransitionTable();

	private final Map<ConnectionState, Map<Trigger, Transition>> rows = new EnumMap<>(ConnectionState.class);

	private TransitionTable() {
		row(DISCONNECTED).move(CONNECT_REQUESTED, CONNECTING)
			.move(RECONNECT_REQUESTED, CONNECTING)
			.stay(DISCONNECT_REQUESTED);
		row(CONNECTING).stay(CONNECT_REQUESTED)
			.move(RECONNECT_REQUESTED, CONNECTING)
			.move(DISCONNECT_REQUESTED, DISCONNECTED)
			.move(TRANSPORT_OPENED, AUTHENTICATING)
			.move(TRANSPORT_FAILED, RECONNECTING)
			.move(FATAL_FAILURE, FATAL);
		row(AUTHENTICATING).stay(CONNECT_REQUESTED)
			.move(RECONNECT_REQUESTED, CONNECTING)
			.move(DISCONNECT_REQUESTED, DISCONNECTED)
			.move(TRANSPORT_FAILED, RECONNECTING)
			.move(TRANSPORT_CLOSED, RECONNECTING)
			.move(AUTH_SUCCEEDED, CONNECTED)
			.move(AUTH_FAILED, RECONNECTING)
			.move(FATAL_FAILURE, FATAL);
		row(CONNECTED).stay(CONNECT_REQUESTED)
			.move(RECONNECT_REQUESTED, CONNECTING)
			.move(DISCONNECT_REQUESTED, DISCONNECTED)
			.move(TRANSPORT_FAILED, RECONNECTING)
			.move(TRANSPORT_CLOSED, RECONNECTING)
			.move(HEARTBEAT_MISSED, RECONNECTING)
			.move(FATAL_FAILURE, FATAL);
		row(RECONNECTING).move(CONNECT_REQUESTED, CONNECTING)
			.move(RECONNECT_REQUESTED, CONNECTING)
			.move(DISCONNECT_REQUESTED, DISCONNECTED)
			.move(BACKOFF_ELAPSED, CONNECTING)
			.stay(CIRCUIT_OPENED)
			.move(CIRCUIT_HALF_OPEN, CONNECTING)
			.move(RETRIES_EXHAUSTED, FATAL);
		row(FATAL).move(CONNECT_REQUESTED, CONNECTING)
			.move(RECONNECT_REQUESTED, CONNECTING)
			.move(DISCONNECT_REQUESTED, DISCONNECTED);
	}

	public static TransitionTable standard() {
		return STANDARD;
	}

	/** The outcome of {@code event} in {@code state}; never {@code null}. */
	public Transition lookup(ConnectionState state, Trigger event) {
		Transition transition = this.rows.get(state).get(event);
		return (transition != null) ? transition : Transition.reject();
	}

	private Row row(ConnectionState state) {
		Map<Trigger, Transition> row = new EnumMap<>(Trigger.class);
		this.rows.put(state, row);
		return new Row(state, row);
	}

	private record Row(ConnectionState state, Map<Trigger, Transition> entries) {

		Row move(Trigger event, ConnectionState target) {
			this.entries.put(event, Transition.moveTo(target));
			return this;
		}

		Row stay(Trigger event) {
			this.entries.put(event, Transition.stay(this.state));
			return this;
		}

	}

}
