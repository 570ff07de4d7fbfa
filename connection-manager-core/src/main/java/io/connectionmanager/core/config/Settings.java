package io.connectionmanager.core.config;

import java.time.Duration;

/** Validation shared by the settings records. */
final class Settings {

	private Settings() {
	}

	static Duration positive(String property, Duration value) {
		if (value == null) {
			throw new InvalidConnectionSettingException(property, null, "is required");
		}
		if (value.isNegative() || value.isZero()) {
			throw new InvalidConnectionSettingException(property, value, "must be positive");
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
