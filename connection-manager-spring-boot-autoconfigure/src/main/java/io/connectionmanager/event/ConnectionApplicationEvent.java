package io.connectionmanager.event;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import io.connectionmanager.core.ManagedConnection;

import org.springframework.context.ApplicationEvent;

/**
 * Base of the events a managed connection publishes. The source is the
 * {@link ManagedConnection}; the event's {@link #getTimestamp() timestamp} is when it
 * happened on the connection, not when it was published.
 * <p>
 * Events are published in order per connection, off the I/O event loops, on the thread
 * that runs the connection's callbacks: a slow {@code @EventListener} never delays a
 * heartbeat or another connection, but it does hold up the later events and handler
 * callbacks of its own connection (use {@code @Async} for slow work).
 */
public abstract class ConnectionApplicationEvent extends ApplicationEvent {

	private final String connectionName;

	private final Instant instant;

	protected ConnectionApplicationEvent(ManagedConnection connection, String connectionName, Instant instant) {
		super(connection, Clock.fixed(instant, ZoneOffset.UTC));
		this.connectionName = connectionName;
		this.instant = instant;
	}

	/** The connection that published the event. */
	public ManagedConnection getConnection() {
		return (ManagedConnection) getSource();
	}

	/** The connection's name: its bean name, health key and metric tag. */
	public String getConnectionName() {
		return this.connectionName;
	}

	/**
	 * When it happened, with full precision ({@link #getTimestamp()} is the same instant
	 * in epoch millis).
	 */
	public Instant getInstant() {
		return this.instant;
	}

}
