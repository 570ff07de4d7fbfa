package io.connectionmanager.core;

import io.connectionmanager.core.event.SequenceGap;
import io.connectionmanager.core.resume.GapAction;
import io.connectionmanager.core.resume.StreamPosition;
import io.connectionmanager.core.transport.Message;

/**
 * The protocol side of a connection, supplied by the application. Every method has a
 * default, so a connection defined only by its settings works (no authentication step,
 * transport-level heartbeats, messages ignored).
 * <p>
 * Threads: {@link #onMessage} runs on the runtime's shared handler pool, one message at a
 * time and in order for each connection, so it may take its time (the inbound queue and
 * transport backpressure bound the memory). All other methods run on the connection's
 * event loop, shared with other connections: they must not block.
 */
public interface ConnectionHandler {

	/** A handler that does nothing and authenticates at once. */
	ConnectionHandler NONE = new ConnectionHandler() {
	};

	/**
	 * Called when the transport has opened (state AUTHENTICATING). Send credentials or a
	 * resume request through {@code authentication.send(...)}, then call
	 * {@code succeed()}, {@code reject(..)} or {@code fail(..)} - now or later, from
	 * {@link #onAuthenticationMessage} when the peer's answer arrives. The default
	 * succeeds at once.
	 */
	default void authenticate(AuthenticationContext authentication) {
		authentication.succeed();
	}

	/**
	 * Messages that arrive while AUTHENTICATING go here instead of {@link #onMessage}.
	 */
	default void onAuthenticationMessage(AuthenticationContext authentication, Message message) {
	}

	/**
	 * An application message, in order, only while CONNECTED; on the handler pool (see
	 * the class comment).
	 */
	default void onMessage(Message message) {
	}

	/**
	 * The message's position in its stream, for resume and de-duplication; {@code null}
	 * when it has none (such messages are always delivered and do not move the position).
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
	 */
	default GapAction onSequenceGap(SequenceGap gap) {
		return GapAction.DELIVER;
	}

	/**
	 * An application-level heartbeat for protocols whose ping is a message (or transports
	 * without a protocol ping, such as raw TCP); {@code null} to use the transport's own
	 * ping frames.
	 */
	default ApplicationHeartbeat applicationHeartbeat() {
		return null;
	}

}
