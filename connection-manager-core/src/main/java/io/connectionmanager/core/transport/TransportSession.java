package io.connectionmanager.core.transport;

import java.util.concurrent.CompletableFuture;

/** One open connection, as the engine sees it. Thread-safe. */
public interface TransportSession {

	/**
	 * Sends a message; the future completes when it was written to the wire (or failed).
	 */
	CompletableFuture<Void> send(Message message);

	/**
	 * Sends a message as one of several written together: the transport may hold it until
	 * {@link #flush()}, which the engine calls after the last of them (on the
	 * connection's event loop, so that a burst costs one write to the socket instead of
	 * one each). Default: {@link #send(Message)}.
	 */
	default CompletableFuture<Void> sendBatched(Message message) {
		return send(message);
	}

	/**
	 * Hands to the network what {@link #sendBatched(Message)} held. Default: nothing (the
	 * default {@code sendBatched} does not hold anything).
	 */
	default void flush() {
	}

	/**
	 * Sends a protocol-level ping if the transport has one (WebSocket does, raw TCP does
	 * not).
	 * @return whether a ping was sent; when {@code false} the engine needs an
	 * application-level heartbeat
	 */
	boolean ping(byte[] payload);

	/**
	 * Starts a graceful close (a WebSocket close frame with this code); the future
	 * completes when closed.
	 */
	CompletableFuture<Void> close(int code, String reason);

	/** Drops the connection at once, without a closing handshake. */
	void abort();

	/**
	 * Stops or resumes reading from the peer, for inbound backpressure. Default: not
	 * supported.
	 */
	default void setReadable(boolean readable) {
	}

	/**
	 * Whether the transport takes more writes without holding them in memory beyond its
	 * limit. While {@code false} the engine keeps further sends in its own bounded
	 * buffer; the transport reports the change back with
	 * {@link TransportListener#onWritabilityChanged(boolean)}. Default: always writable.
	 */
	default boolean isWritable() {
		return true;
	}

	/**
	 * Bytes written but not yet handed to the network (0 if the transport cannot tell).
	 * May be called from any thread.
	 */
	default long pendingOutboundBytes() {
		return 0;
	}

	/** The negotiated subprotocol, if any. */
	default String subprotocol() {
		return null;
	}

}
