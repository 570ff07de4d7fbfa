package io.connectionmanager.core.handler;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.connectionmanager.core.resume.StreamPosition;
import io.connectionmanager.core.transport.Message;

/**
 * One transport session of a connection, as a handler sees it: every
 * {@link ConnectionHandler} callback gets it, so a handler never needs to inject its own
 * {@link ManagedConnection} (and a handler bean and a user of the connection can live in
 * one configuration class). A session lasts from the transport opening (authentication)
 * to its loss; the connection then opens a new one, with a new session object.
 * <p>
 * Threading: every method may be called from any thread and none blocks. A future this
 * session returns never fails by throwing: it completes exceptionally.
 */
public interface ConnectionSession {

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
	 * Sends on this session, through the connection's outbound buffer and rate limit.
	 * Order: what {@code authenticate} and {@code onConnected} send leaves first, then
	 * the subscription replay, then what was buffered while disconnected, then later
	 * sends. The future fails with {@link SessionEndedException} if this session ended
	 * before the message was written (it is never carried over to the next session), or
	 * as {@link ManagedConnection#send} fails.
	 */
	CompletableFuture<Void> send(Message message);

	/** {@link #send(Message)} of a text message. */
	default CompletableFuture<Void> send(String text) {
		return send(Message.text(text));
	}

	/**
	 * Sends a request and returns its reply: the first inbound message whose
	 * {@link ConnectionHandler#correlationOf correlation key} equals the request's. The
	 * reply is consumed: it is not also passed to {@code onMessage} (or
	 * {@code onAuthenticationMessage}). The future completes on the connection's handler
	 * lane (never on an event loop), or fails with a
	 * {@link java.util.concurrent.TimeoutException} after {@code timeout}, with
	 * {@link SessionEndedException} when the session ends first, with
	 * {@link IllegalArgumentException} when the handler gives the request no key or the
	 * key is already waiting, or as {@link #send} fails.
	 * <p>
	 * Do not wait for the reply inside a handler callback ({@code join()}): the reply is
	 * delivered on the same lane, so the wait would end only by the timeout. Chain on the
	 * future instead ({@code thenAccept}).
	 */
	CompletableFuture<Message> request(Message message, Duration timeout);

	/** The connection's subscriptions, replayed on every session. */
	Subscriptions subscriptions();

	/** Whether this session is still the connection's current one and not closed. */
	boolean isOpen();

	/**
	 * Ends this session: a normal close frame (1000) with {@code reason}, then the
	 * connection reconnects with its usual backoff (cause {@code SESSION_CLOSED}). No
	 * effect once the session has ended.
	 */
	void close(String reason);

}
