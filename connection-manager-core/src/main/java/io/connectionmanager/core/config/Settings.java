package io.connectionmanager.core.config;

import java.time.Duration;

/** Validation shared by the settings records. */
final class Settings {

	/**
	 * The longest duration any setting accepts. Far beyond any sensible value, and far
	 * below where timers overflow (nanoseconds in a long run out after 292 years).
	 */
	static final Duration MAX_DURATION = Duration.ofDays(365);

	private Settings() {
	}

	static Duration positive(String property, Duration value) {
		if (value == null) {
			throw new InvalidConnectionSettingException(property, null, "is required");
		}
		if (value.isNegative() || value.isZero()) {
			throw new InvalidConnectionSettingException(property, value, "must be positive");
		}
		return atMost(property, value, MAX_DURATION);
	}

	static Duration atMost(String property, Duration value, Duration maximum) {
		if (value.compareTo(maximum) > 0) {
			throw new InvalidConnectionSettingException(property, value, "must be at most " + maximum);
		}
		return value;
	}

	static int between(String property, int value, int minimum, int maximum) {
		atLeast(property, value, minimum);
		if (value > maximum) {
			throw new InvalidConnectionSettingException(property, value, "must be at most " + maximum);
		}
		return value;
	}

	static int atLeast(String property, int value, int minimum) {
		if (value < minimum) {
			throw new InvalidConnectionSettingException(property, value, "must be at least " + minimum);
		}
		return value;
	}

}
