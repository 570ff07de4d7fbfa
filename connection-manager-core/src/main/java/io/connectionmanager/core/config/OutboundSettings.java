package io.connectionmanager.core.config;

import java.util.Objects;

/**
 * What {@code send} does while the connection is not CONNECTED.
 *
 * @param whenDisconnected fail at once, or buffer until CONNECTED
 * @param bufferSize the most messages the buffer holds
 * @param bufferBytes the most payload bytes the buffer holds
 * @param overflow what happens to a send that finds the buffer full
 * @param rateLimit the outbound rate limit ({@code outbound.rate-limit.*})
 */
public record OutboundSettings(WhenDisconnected whenDisconnected, int bufferSize, long bufferBytes, Overflow overflow,
		RateLimitSettings rateLimit) {

	public enum WhenDisconnected {

		/**
		 * The caller gets a {@code NotConnectedException} at once (the default: nothing
		 * is held silently).
		 */
		FAIL,

		/**
		 * Held in a bounded buffer and flushed in order, once, after authentication and
		 * before any new send.
		 */
		BUFFER

	}

	public enum Overflow {

		/** The new message is refused with an exception to the caller. */
		REJECT,

		/** The oldest buffered message is discarded (and counted) to make room. */
		DROP_OLDEST

	}

	public OutboundSettings {
		if (whenDisconnected == null) {
			throw Settings.required("outbound.when-disconnected", "is required");
		}
		if (overflow == null) {
			throw Settings.required("outbound.overflow", "is required");
		}
		Settings.atLeast("outbound.buffer-size", bufferSize, 1);
		Settings.atLeast("outbound.buffer-bytes", bufferBytes, 1);
		Objects.requireNonNull(rateLimit, "rateLimit");
	}

	/** Without a rate limit. */
	public OutboundSettings(WhenDisconnected whenDisconnected, int bufferSize, long bufferBytes, Overflow overflow) {
		this(whenDisconnected, bufferSize, bufferBytes, overflow, RateLimitSettings.disabled());
	}

	// A shared instance (settings are immutable).
	private static final OutboundSettings DEFAULTS = new OutboundSettings(WhenDisconnected.FAIL, 1000,
			16L * 1024 * 1024, Overflow.REJECT);

	public static OutboundSettings defaults() {
		return DEFAULTS;
	}

	/** This buffering with another rate limit. */
	public OutboundSettings withRateLimit(RateLimitSettings rateLimit) {
		return new OutboundSettings(this.whenDisconnected, this.bufferSize, this.bufferBytes, this.overflow, rateLimit);
	}

}
