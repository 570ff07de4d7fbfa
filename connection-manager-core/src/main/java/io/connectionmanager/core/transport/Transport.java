package io.connectionmanager.core.transport;

import java.util.concurrent.CompletableFuture;

/**
 * The SPI between the engine and a wire protocol. A transport opens one session per
 * attempt; the engine owns everything else (states, backoff, heartbeats, breaker,
 * events). Wrap any client this way - a vendor SDK, an MQTT or AMQP client - and it gets
 * the same lifecycle as the built-in WebSocket and TCP transports.
 * <p>
 * Contract: {@code open} must not block. The returned future completes with a session
 * once the peer is ready for application messages, or exceptionally with the reason it is
 * not (the engine classifies the exception). If the engine cancels the future (timeout,
 * disconnect) the transport must release what it started. After a session is returned,
 * exactly one of {@link TransportListener#onClosed} or {@link TransportListener#onError}
 * is called, once.
 */
public interface Transport extends AutoCloseable {

	CompletableFuture<TransportSession> open(ConnectRequest request, TransportListener listener);

	/** Releases resources shared across sessions; the default holds none. */
	@Override
	default void close() {
	}

}
