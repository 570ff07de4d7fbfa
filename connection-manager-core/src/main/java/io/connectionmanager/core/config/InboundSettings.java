package io.connectionmanager.core.config;

import java.util.Objects;

/**
 * Limits on what the peer can make us hold. A message over {@code maxMessageSize} closes
 * the connection with a classified failure. Messages waiting for a slow handler are
 * bounded by count and bytes: past either bound the transport stops reading (TCP
 * backpressure reaches the peer) until the handler catches up.
 *
 * @param maxMessageSize the largest inbound message in bytes
 * @param maxQueuedMessages messages held for the handler before reading pauses
 * @param maxQueuedBytes payload bytes held for the handler before reading pauses
 * @param silence the data-silence watchdog ({@code inbound.max-silence} and friends)
 */
public record InboundSettings(int maxMessageSize, int maxQueuedMessages, long maxQueuedBytes, SilenceSettings silence) {

	public InboundSettings {
		Settings.atLeast("inbound.max-message-size", maxMessageSize, 1);
		Settings.atLeast("inbound.max-queued-messages", maxQueuedMessages, 1);
		Settings.atLeast("inbound.max-queued-bytes", maxQueuedBytes, 1);
		Objects.requireNonNull(silence, "silence");
	}

	/** Without a data-silence watchdog. */
	public InboundSettings(int maxMessageSize, int maxQueuedMessages, long maxQueuedBytes) {
		this(maxMessageSize, maxQueuedMessages, maxQueuedBytes, SilenceSettings.disabled());
	}

	public static InboundSettings defaults() {
		return new InboundSettings(1024 * 1024, 1000, 8L * 1024 * 1024);
	}

	/** These limits with another watchdog. */
	public InboundSettings withSilence(SilenceSettings silence) {
		return new InboundSettings(this.maxMessageSize, this.maxQueuedMessages, this.maxQueuedBytes, silence);
	}

}
