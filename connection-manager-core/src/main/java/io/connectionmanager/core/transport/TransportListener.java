package io.connectionmanager.core.transport;

/**
 * Callbacks from a transport to the engine. May be called from any thread; the engine
 * hops to its own executor (and skips the hop when the transport already runs on it, as
 * the Netty transports do).
 */
public interface TransportListener {

	void onMessage(Message message);

	/** A pong to one of our pings arrived. */
	void onPong();

	/** The peer pinged us (the transport answers it); counts as a sign of life. */
	void onPing();

	/**
	 * The peer closed the session; {@code code} is 1006 when there was no close frame.
	 */
	void onClosed(int code, String reason);

	/** The session broke. */
	void onError(Throwable error);

	/**
	 * The session's {@link TransportSession#isWritable() writability} may have changed: a
	 * slow peer made the transport's write buffer reach its limit ({@code false}), or it
	 * has drained again ({@code true}). Carries the value at the time of the call; the
	 * same value may come twice, but after the session turns unwritable a {@code true}
	 * always follows once it is writable again. Default: ignored.
	 */
	default void onWritabilityChanged(boolean writable) {
	}

}
