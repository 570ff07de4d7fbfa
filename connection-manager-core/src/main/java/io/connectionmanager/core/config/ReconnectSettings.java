package io.connectionmanager.core.config;

import java.time.Duration;
import java.util.random.RandomGenerator;

import io.connectionmanager.core.backoff.Jitter;
import io.connectionmanager.core.backoff.JitteredExponentialBackOff;
import io.connectionmanager.core.config.InvalidConnectionSettingException.Reason;

/**
 * How reconnect delays grow. Delays follow
 * {@code min(maxDelay, initialDelay * multiplier^n)} with the chosen {@link Jitter}. A
 * connection that stays CONNECTED for {@code resetAfter} counts as stable: its delay
 * sequence and attempt counter start again from the beginning on the next loss. Until
 * then a connection that flaps (connects, then drops at once) keeps backing off instead
 * of hammering the server at the initial delay.
 *
 * @param initialDelay the base delay
 * @param maxDelay the cap on any delay
 * @param multiplier growth per attempt, at least 1
 * @param jitter how delays are randomised
 * @param maxAttempts attempts after a loss before giving up into {@code FATAL}; -1 means
 * forever
 * @param resetAfter how long CONNECTED must last to count as stable
 * @param maxServerDelay the cap on a delay the server asks for ({@code Retry-After} on a
 * 429 or 503 upgrade response, close code 1012 or 1013): the next delay is that delay, at
 * most this, plus the normal jittered delay. The only case where a delay may exceed
 * {@code maxDelay}.
 */
public record ReconnectSettings(Duration initialDelay, Duration maxDelay, double multiplier, Jitter jitter,
		int maxAttempts, Duration resetAfter, Duration maxServerDelay) {

	/** The default cap on a server-directed delay. */
	public static final Duration DEFAULT_MAX_SERVER_DELAY = Duration.ofMinutes(10);

	public ReconnectSettings {
		Settings.positive("reconnect.initial-delay", initialDelay);
		Settings.positive("reconnect.max-delay", maxDelay);
		if (maxDelay.compareTo(initialDelay) < 0) {
			throw new InvalidConnectionSettingException("reconnect.max-delay", maxDelay, Reason.CONFLICT,
					"must not be less than reconnect.initial-delay (" + initialDelay + ")");
		}
		if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
			throw new InvalidConnectionSettingException("reconnect.multiplier", multiplier, Reason.TOO_SMALL,
					"must be at least 1.0");
		}
		if (jitter == null) {
			throw Settings.required("reconnect.jitter", "is required");
		}
		if (maxAttempts < -1 || maxAttempts == 0) {
			throw new InvalidConnectionSettingException("reconnect.max-attempts", maxAttempts, Reason.OUT_OF_RANGE,
					"must be -1 (forever) or at least 1");
		}
		Settings.positive("reconnect.reset-after", resetAfter);
		Settings.positive("reconnect.max-server-delay", maxServerDelay);
	}

	/** With the default cap on server-directed delays (10 minutes). */
	public ReconnectSettings(Duration initialDelay, Duration maxDelay, double multiplier, Jitter jitter,
			int maxAttempts, Duration resetAfter) {
		this(initialDelay, maxDelay, multiplier, jitter, maxAttempts, resetAfter, DEFAULT_MAX_SERVER_DELAY);
	}

	// A shared instance (settings are immutable).
	private static final ReconnectSettings DEFAULTS = new ReconnectSettings(Duration.ofSeconds(1),
			Duration.ofSeconds(30), 2.0, Jitter.SPREAD, -1, Duration.ofSeconds(30));

	public static ReconnectSettings defaults() {
		return DEFAULTS;
	}

	/**
	 * The reconnect delays these settings describe.
	 * @param random the jitter source (seeded for reproducible tests), or {@code null}
	 * for the drawing thread's own
	 */
	public JitteredExponentialBackOff toBackOff(RandomGenerator random) {
		return new JitteredExponentialBackOff(this.initialDelay, this.maxDelay, this.multiplier, this.jitter,
				this.maxAttempts, random);
	}

}
