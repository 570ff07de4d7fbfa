package io.connectionmanager.event;

import java.time.Duration;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.event.StateChange;
import io.connectionmanager.core.failure.Failure;
import io.connectionmanager.core.state.Trigger;
import io.connectionmanager.core.state.ConnectionState;

/**
 * A connection moved from one state to another (or restarted an attempt in the same
 * state).
 */
public class ConnectionStateChangedEvent extends ConnectionApplicationEvent {

	private final StateChange change;

	public ConnectionStateChangedEvent(ManagedConnection connection, StateChange change) {
		super(connection, change.connection(), change.timestamp());
		this.change = change;
	}

	public ConnectionState getPrevious() {
		return this.change.previous();
	}

	public ConnectionState getCurrent() {
		return this.change.current();
	}

	/** The failure behind the transition, or {@code null}. */
	public Failure getCause() {
		return this.change.cause();
	}

	/** The connect attempt concerned, counted since the connection was last stable. */
	public int getAttempt() {
		return this.change.attempt();
	}

	/** What triggered the transition. */
	public Trigger getTrigger() {
		return this.change.trigger();
	}

	/**
	 * The backoff delay before the next attempt when entering RECONNECTING, else
	 * {@code null}.
	 */
	public Duration getRetryIn() {
		return this.change.retryIn();
	}

	/** The core's record of the transition. */
	/**
	 * The endpoint of the attempt or session concerned, as scheme://host:port (with
	 * several {@code urls}, the one in use or tried next).
	 */
	public String getEndpoint() {
		return this.change.endpoint();
	}

	public StateChange getChange() {
		return this.change;
	}

	@Override
	public String toString() {
		return "ConnectionStateChangedEvent[" + getConnectionName() + ": " + getPrevious() + " -> " + getCurrent()
				+ ((getCause() != null) ? " (" + getCause().describe() + ")" : "") + "]";
	}

}
