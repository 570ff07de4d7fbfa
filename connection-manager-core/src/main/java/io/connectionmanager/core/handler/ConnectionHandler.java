package io.connectionmanager.core.handler;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.connectionmanager.core.event.SequenceGap;
import io.connectionmanager.core.failure.Failure;
import io.connectionmanager.core.resume.GapAction;
import io.connectionmanager.core.resume.StreamPosition;
import io.connectionmanager.core.transport.ConnectRequest;
import io.connectionmanager.core.transport.Message;

/**
 * The protocol side of a connection, supplied by the application. Every method has a
 * default, so a connection defined only by its settings works (no authentication step,
 * transport-level heartbeats, messages ignored). Every callback that concerns a session
 * gets that {@link ConnectionSession}, to send, make requests or manage subscriptions.
 * <p>
 * Threads, one rule per method, stated on each. Most run on the connection's <em>handler
 * lane</em>: on the runtime's shared handler pool, never on an event loop, one callback
 * at a time and in order for each connection, so a callback may take its time (the
 * inbound queue and transport backpressure bound the memory) and a handler needs no locks
 * for state of its own connection.
 * <p>
 * After each authentication the order is fixed: {@link #onConnected}, then the
 * subscription replay, then the flush of messages buffered while disconnected, then live
 * sends; {@link #onMessage} never runs before {@code onConnected} of its session.
 */
public interface ConnectionHandler {

	/** A handler that does nothing and authenticates at once. */
	ConnectionHandler NONE = new ConnectionHandler() {
	};

	/**
	 * Before every connect attempt: the request to open, e.g. with a fresh token in a
	 * header or a new listen key in the path. May complete later (fetch the token
	 * asynchronously); the connect timeout covers the wait. The URI must keep the
	 * configured scheme. Whatever it returns is treated as secret: only its
	 * scheme://host:port is ever shown, header values never. A failure is a retryable
	 * failure of the attempt (kind {@code CONNECT_REQUEST}), fatal if it is a
	 * {@link ConnectRequestFailedException} that says so. The default returns
	 * {@code planned}: the configured URL and headers, with the resume position if its
	 * carrier is the query or a header.
	 * <p>
	 * Threading: on the handler pool, never on an event loop, but not on the lane: a
	 * reconnect does not wait for the previous session's last messages to be handled.
	 */
	default CompletionStage<ConnectRequest> connectRequest(ConnectRequest planned) {
		return CompletableFuture.completedFuture(planned);
	}

	/**
	 * Called when the transport has opened (state AUTHENTICATING). Send credentials or a
	 * resume request through {@code authentication.send(...)}, then call
	 * {@code succeed()}, {@code reject(..)} or {@code fail(..)} - now or later, from
	 * {@link #onAuthenticationMessage} when the peer's answer arrives. The default
	 * succeeds at once.
	 * <p>
	 * Threading: on the handler lane.
	 */
	default void authenticate(AuthenticationContext authentication) {
		authentication.succeed();
	}

	/**
	 * Messages that arrive while AUTHENTICATING go here instead of {@link #onMessage}.
	 * <p>
	 * Threading: on the handler lane.
	 */
	default void onAuthenticationMessage(AuthenticationContext authentication, Message message) {
	}

	/**
	 * The session is authenticated (state CONNECTED), before the subscription replay and
	 * before anything buffered is flushed: what this sends leaves first. Once per
	 * session, and always before the session's first {@link #onMessage}.
	 * <p>
	 * Threading: on the handler lane.
	 */
	default void onConnected(ConnectionSession session) {
	}

	/**
	 * An application message, in order, only on an authenticated session, after
	 * {@link #onConnected}. Replies matched to a {@link ConnectionSession#request} and
	 * application pongs never arrive here. The default calls {@link #onMessage(Message)}.
	 * <p>
	 * Threading: on the handler lane.
	 */
	default void onMessage(ConnectionSession session, Message message) {
		onMessage(message);
	}

	/**
	 * {@link #onMessage(ConnectionSession, Message)} for handlers that do not need the
	 * session.
	 * <p>
	 * Threading: on the handler lane.
	 */
	default void onMessage(Message message) {
	}

	/**
	 * The session that {@link #onConnected} opened has ended, after its last
	 * {@link #onMessage}: {@code cause} is why, or {@code null} when the application
	 * disconnected or stopped. Once per session that was connected.
	 * <p>
	 * Threading: on the handler lane.
	 */
	default void onDisconnected(Failure cause) {
	}

	/**
	 * The key that pairs a request with its reply (e.g. a JSON-RPC {@code id}), or
	 * {@code null} for a message that is neither. Applied to the message given to
	 * {@link ConnectionSession#request} and, while requests wait, to inbound messages; a
	 * match is the reply. Keys are compared with {@code equals}.
	 * <p>
	 * Threading: on the thread that calls {@code request(..)}, and on the handler lane;
	 * it must be a pure function of the message.
	 */
	default Object correlationOf(Message message) {
		return null;
	}

	/**
	 * The message's position in its stream, for resume and de-duplication; {@code null}
	 * when it has none (such messages are always delivered and do not move the position).
	 * <p>
	 * Threading: on the handler lane.
	 */
	default StreamPosition positionOf(Message message) {
		return null;
	}

	/**
	 * Numeric positions were skipped: decide what happens to the message that revealed
	 * the gap. {@link GapAction#DELIVER} (the default) delivers it and accepts the loss
	 * (the gap is still reported); {@link GapAction#REPLAY} drops it and reconnects,
	 * resuming from the last delivered position, so that the server replays the missing
	 * range in order (duplicates are dropped as usual).
	 * <p>
	 * Threading: on the handler lane.
	 */
	default GapAction onSequenceGap(SequenceGap gap) {
		return GapAction.DELIVER;
	}

	/**
	 * The delay a server asked for when it closed with 1012 (service restart) or 1013
	 * (try again later), read from the close reason (no format is standard), or
	 * {@code null} for none. The next reconnect then waits that delay (at most
	 * {@code reconnect.max-server-delay}) plus the normal jittered delay. The default
	 * reads none.
	 * <p>
	 * Threading: on the connection's event loop, so that the delay is known when the
	 * state changes: parse the reason and return, nothing more (no I/O, no locks).
	 */
	default Duration serverDelay(int closeCode, String reason) {
		return null;
	}

	/**
	 * Whether {@code message} is the server's request to move to a new session soon (a
	 * "drain" or "reconnect" notice), which starts the same handover as
	 * {@code max-connection-age}. A drain message is consumed: {@code onMessage} does not
	 * see it. The default (and {@code rotation.drain-message}, text contained in a text
	 * message) covers servers whose notice is a fixed text.
	 * <p>
	 * Threading: on the handler lane, before {@code positionOf}.
	 */
	default boolean isDrainMessage(Message message) {
		return false;
	}

	/**
	 * An application-level heartbeat for protocols whose ping is a message (or transports
	 * without a protocol ping, such as raw TCP); {@code null} to use the transport's own
	 * ping frames.
	 * <p>
	 * Threading: called once, when the connection is built.
	 */
	default ApplicationHeartbeat applicationHeartbeat() {
		return null;
	}

}
