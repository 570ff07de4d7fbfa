package io.connectionmanager.core.config;

import java.time.Duration;

import io.connectionmanager.core.config.InvalidConnectionSettingException.Reason;

/** Validation shared by the settings records. */
final class Settings {

	/**
	 * The longest duration any setting accepts. Far beyond any sensible value, and far
	 * below where timers overflow (nanoseconds in a long run out after 292 years).
	 */
	static final Duration MAX_DURATION = Duration.ofDays(365);

	private Settings() {
	}

	static InvalidConnectionSettingException required(String property, String reason) {
		return new InvalidConnectionSettingException(property, null, Reason.REQUIRED, reason);
	}

	static Duration positive(String property, Duration value) {
		if (value == null) {
			throw required(property, "is required");
		}
		if (value.isNegative() || value.isZero()) {
			throw new InvalidConnectionSettingException(property, value, Reason.NOT_POSITIVE, "must be positive");
		}
		return atMost(property, value, MAX_DURATION);
	}

	static Duration atMost(String property, Duration value, Duration maximum) {
		if (value.compareTo(maximum) > 0) {
			throw new InvalidConnectionSettingException(property, value, Reason.TOO_LARGE,
					"must be at most " + maximum);
		}
		return value;
	}

	static int between(String property, int value, int minimum, int maximum) {
		atLeast(property, value, minimum);
		if (value > maximum) {
			throw new InvalidConnectionSettingException(property, value, Reason.TOO_LARGE,
					"must be at most " + maximum);
		}
		return value;
	}

	static int atLeast(String property, int value, int minimum) {
		return (int) atLeast(property, (long) value, minimum);
	}

	static long atLeast(String property, long value, long minimum) {
		if (value < minimum) {
			throw new InvalidConnectionSettingException(property, value, Reason.TOO_SMALL,
					"must be at least " + minimum);
		}
		return value;
	}

}
