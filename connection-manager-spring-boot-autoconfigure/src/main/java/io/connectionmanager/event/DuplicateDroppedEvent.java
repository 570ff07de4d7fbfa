package io.connectionmanager.event;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.event.DuplicateDropped;

/**
 * A message at or below the last delivered position arrived again and was dropped before
 * the application saw it.
 */
public class DuplicateDroppedEvent extends ConnectionApplicationEvent {

	private final DuplicateDropped duplicate;

	public DuplicateDroppedEvent(ManagedConnection connection, DuplicateDropped duplicate) {
		super(connection, duplicate.connection(), duplicate.timestamp());
		this.duplicate = duplicate;
	}

	/** The duplicate's position. */
	public String getPosition() {
		return this.duplicate.position();
	}

	/** The last position delivered to the application. */
	public String getLastDelivered() {
		return this.duplicate.lastDelivered();
	}

	public DuplicateDropped getDuplicate() {
		return this.duplicate;
	}

}
