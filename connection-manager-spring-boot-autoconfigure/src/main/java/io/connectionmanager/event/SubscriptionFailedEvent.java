package io.connectionmanager.event;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.event.SubscriptionFailed;

/**
 * A subscription was refused on the current session (the handler called
 * {@code Subscriptions.fail}), or its subscribe message could not be sent. The connection
 * stays up; the subscription is sent again on the next session unless it is removed.
 */
public class SubscriptionFailedEvent extends ConnectionApplicationEvent {

	private final SubscriptionFailed failed;

	public SubscriptionFailedEvent(ManagedConnection connection, SubscriptionFailed failed) {
		super(connection, failed.connection(), failed.timestamp());
		this.failed = failed;
	}

	/** The subscription's key. */
	public String getKey() {
		return this.failed.key();
	}

	/** Why, as the handler put it. */
	public String getReason() {
		return this.failed.reason();
	}

	public SubscriptionFailed getFailed() {
		return this.failed;
	}

}
