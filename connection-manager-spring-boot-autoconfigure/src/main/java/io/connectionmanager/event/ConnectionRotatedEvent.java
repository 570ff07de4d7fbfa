package io.connectionmanager.event;

import java.time.Duration;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.event.ConnectionRotated;

/**
 * A session was replaced by a new one before the server's age limit
 * ({@code max-connection-age}) or on the server's drain message. With
 * {@code rotation.overlap} (the default) the state stayed CONNECTED throughout and no
 * {@link ConnectionStateChangedEvent} was published for it.
 */
public class ConnectionRotatedEvent extends ConnectionApplicationEvent {

	private final ConnectionRotated rotated;

	public ConnectionRotatedEvent(ManagedConnection connection, ConnectionRotated rotated) {
		super(connection, rotated.connection(), rotated.timestamp());
		this.rotated = rotated;
	}

	/** Why the session was replaced: its age or a drain message. */
	public ConnectionRotated.Reason getReason() {
		return this.rotated.reason();
	}

	/** Whether the new session took over before the old one closed. */
	public boolean isOverlapped() {
		return this.rotated.overlapped();
	}

	/** From the start of the handover to the new session taking over. */
	public Duration getHandover() {
		return this.rotated.handover();
	}

	public ConnectionRotated getRotated() {
		return this.rotated;
	}

}
