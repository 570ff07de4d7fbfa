package io.connectionmanager.event;

import java.time.Duration;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.event.HeartbeatMissed;

/**
 * A ping went unanswered; the connection is treated as dead and moves to RECONNECTING
 * right after.
 */
public class HeartbeatMissedEvent extends ConnectionApplicationEvent {

	private final HeartbeatMissed missed;

	public HeartbeatMissedEvent(ManagedConnection connection, HeartbeatMissed missed) {
		super(connection, missed.connection(), missed.timestamp());
		this.missed = missed;
	}

	/** How long nothing was received. */
	public Duration getSilence() {
		return this.missed.silence();
	}

	public HeartbeatMissed getMissed() {
		return this.missed;
	}

}
