package io.connectionmanager.core.config;

import java.time.Duration;

import io.connectionmanager.core.config.InvalidConnectionSettingException.Reason;

/**
 * Gapless rotation: servers that cap a connection's age (24 h is common) close it at that
 * age, and a plain reconnect then loses or repeats messages. Before {@code maxAge}
 * (jittered by ±5 % so a fleet does not rotate together) the engine opens a second
 * session in the background, authenticates it and replays its subscriptions, switches
 * delivery to it and closes the old one with 1000; the state stays CONNECTED. Without
 * overlap the old session is closed first and resume covers the gap.
 *
 * @param maxAge the age at which a session is replaced, or {@code null} for never (the
 * default)
 * @param overlap whether two sessions may be open at once during the handover (forced off
 * for exclusive connections)
 * @param drainMessage text that, contained in a text message from the server, asks for
 * the same handover now; {@code null} for none (a handler can also say so through
 * {@code ConnectionHandler.isDrainMessage})
 */
public record RotationSettings(Duration maxAge, boolean overlap, String drainMessage) {

	/**
	 * The shortest age accepted: below it, a session would spend its life handing over.
	 */
	public static final Duration MIN_AGE = Duration.ofSeconds(1);

	public RotationSettings {
		if (maxAge != null && maxAge.compareTo(MIN_AGE) < 0) {
			throw new InvalidConnectionSettingException("max-connection-age", maxAge, Reason.TOO_SMALL,
					"must be at least " + MIN_AGE.toSeconds() + "s");
		}
		if (drainMessage != null && drainMessage.isEmpty()) {
			throw new InvalidConnectionSettingException("rotation.drain-message", drainMessage, Reason.REQUIRED,
					"must not be empty (leave it out for none)");
		}
	}

	// A shared instance (settings are immutable).
	private static final RotationSettings DISABLED = new RotationSettings(null, true, null);

	/** No age limit, overlap allowed, no drain message. */
	public static RotationSettings disabled() {
		return DISABLED;
	}

	/** The same, with {@code overlap}. */
	public RotationSettings withOverlap(boolean overlap) {
		return new RotationSettings(this.maxAge, overlap, this.drainMessage);
	}

}
