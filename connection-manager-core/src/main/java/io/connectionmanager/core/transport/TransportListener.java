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
	 * The session's write buffer crossed its high water mark ({@code false}) or fell back
	 * below its low one ({@code true}). Default: ignored.
	 */
	default void onWritabilityChanged(boolean writable) {
	}

}
