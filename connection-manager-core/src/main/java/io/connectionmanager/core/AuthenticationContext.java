package io.connectionmanager.core;

import java.util.concurrent.CompletableFuture;

import io.connectionmanager.core.resume.StreamPosition;
import io.connectionmanager.core.transport.Message;

/**
 * The authentication step of one connect attempt. Calls made after the attempt ended
 * (timeout, peer closed) are ignored, so a late answer can never promote a stale
 * connection.
 */
public interface AuthenticationContext {

	/** The connection's name. */
	String connectionName();

	/** The attempt number since the connection was last stable (1 for the first). */
	int attempt();

	/**
	 * The last position delivered to the application, to resume from; {@code null} on a
	 * first connect or when resume is disabled. With the {@code HANDLER} carrier the
	 * handler sends it in its own resume request.
	 */
	StreamPosition resumePosition();

	/**
	 * Sends a message on the not-yet-CONNECTED transport (credentials, subscription,
	 * resume request).
	 */
	CompletableFuture<Void> send(Message message);

	/** The exchange succeeded: the connection becomes CONNECTED. */
	void succeed();

	/**
	 * The peer rejected the credentials: fatal by default (no retry until an explicit
	 * connect).
	 */
	void reject(String reason);

	/** The exchange failed in a way worth retrying (e.g. a transient server error). */
	void fail(String reason);

}
