package io.connectionmanager.core.event;

import java.time.Duration;
import java.time.Instant;

import io.connectionmanager.core.failure.Failure;
import io.connectionmanager.core.state.Trigger;
import io.connectionmanager.core.state.ConnectionState;

/**
 * One transition of a connection's state machine.
 *
 * @param connection the connection's name
 * @param previous the state before
 * @param current the state after (may equal {@code previous} for a restarted attempt)
 * @param trigger what caused it
 * @param cause the failure behind it, or {@code null}
 * @param attempt the connect attempt concerned: the one starting (CONNECTING) or the one
 * that failed, counted since the connection was last stable
 * @param timestamp when it happened
 * @param retryIn the backoff delay before the next attempt, when entering RECONNECTING;
 * otherwise {@code null}
 * @param endpoint the endpoint of the attempt (or session) concerned, as
 * scheme://host:port: with {@code urls}, the one in use or tried next
 */
public record StateChange(String connection, ConnectionState previous, ConnectionState current, Trigger trigger,
		Failure cause, int attempt, Instant timestamp, Duration retryIn, String endpoint) {

	/** A change with no endpoint named (as before {@code endpoint} was added). */
	public StateChange(String connection, ConnectionState previous, ConnectionState current, Trigger trigger,
			Failure cause, int attempt, Instant timestamp, Duration retryIn) {
		this(connection, previous, current, trigger, cause, attempt, timestamp, retryIn, null);
	}

}
