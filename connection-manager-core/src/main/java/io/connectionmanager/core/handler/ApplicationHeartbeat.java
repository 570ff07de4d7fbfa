package io.connectionmanager.core.handler;

import io.connectionmanager.core.transport.Message;

/**
 * A heartbeat carried in application messages (e.g. {@code {"op":"ping"}} /
 * {@code {"op":"pong"}}). Pongs are consumed by the engine and never reach
 * {@link ConnectionHandler#onMessage}.
 */
public interface ApplicationHeartbeat {

	/** The ping to send. */
	Message ping();

	/** Whether an inbound message is the answer to a ping. */
	boolean isPong(Message message);

}
