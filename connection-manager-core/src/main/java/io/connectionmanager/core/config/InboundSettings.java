package io.connectionmanager.core.config;

/**
 * Limits on what the peer can make us hold. A message over {@code maxMessageSize} closes
 * the connection with a classified failure. Messages waiting for a slow handler are
 * bounded by count and bytes: past either bound the transport stops reading (TCP
 * backpressure reaches the peer) until the handler catches up.
 *
 * @param maxMessageSize the largest inbound message in bytes
 * @param maxQueuedMessages messages held for the handler before reading pauses
 * @param maxQueuedBytes payload bytes held for the handler before reading pauses
 */
public record InboundSettings(int maxMessageSize, int maxQueuedMessages, long maxQueuedBytes) {

	public InboundSettings {
		Settings.atLeast("inbound.max-message-size", maxMessageSize, 1);
		Settings.atLeast("inbound.max-queued-messages", maxQueuedMessages, 1);
		Settings.atLeast("inbound.max-queued-bytes", maxQueuedBytes, 1);
	}

	public static InboundSettings defaults() {
		return new InboundSettings(1024 * 1024, 1000, 8L * 1024 * 1024);
	}

}
