package io.connectionmanager.core.config;

import java.time.Duration;
import java.time.ZoneId;

import io.connectionmanager.core.config.InvalidConnectionSettingException.Reason;

import org.springframework.scheduling.support.CronExpression;

/**
 * The data-silence watchdog: a CONNECTED feed that still answers pings but sends no
 * application message for {@code maxSilence} is stale. Pongs (transport or application
 * ones) never count as data. With a {@code schedule}, silence counts only during the
 * seconds that match it (in {@code zone}), and the silence clock starts again whenever
 * such a window opens, so a market that is closed at night is not a failure.
 *
 * @param maxSilence the longest silence tolerated, or {@code null} for no watchdog (the
 * default)
 * @param onSilence what a silence does
 * @param schedule a Spring cron expression (six fields, seconds first) of the seconds
 * during which silence counts, or {@code null} for always
 * @param zone the time zone of the schedule
 */
public record SilenceSettings(Duration maxSilence, OnSilence onSilence, CronExpression schedule, ZoneId zone) {

	/** What the watchdog does when the feed has been silent for {@code max-silence}. */
	public enum OnSilence {

		/**
		 * Drop the session and reconnect (cause {@code DATA_SILENCE}, a retryable
		 * failure); the default.
		 */
		RECONNECT,

		/** Only report it ({@code DataSilence}); the connection stays up. */
		EVENT

	}

	public SilenceSettings {
		if (maxSilence != null) {
			Settings.positive("inbound.max-silence", maxSilence);
		}
		if (onSilence == null) {
			throw Settings.required("inbound.on-silence", "is required");
		}
		if (schedule != null && maxSilence == null) {
			throw new InvalidConnectionSettingException("inbound.silence-schedule", schedule, Reason.CONFLICT,
					"needs inbound.max-silence");
		}
		if (zone == null) {
			throw Settings.required("inbound.silence-zone", "is required");
		}
	}

	/** No watchdog. */
	public static SilenceSettings disabled() {
		return new SilenceSettings(null, OnSilence.RECONNECT, null, ZoneId.systemDefault());
	}

	/** A watchdog that counts silence at all times. */
	public static SilenceSettings of(Duration maxSilence, OnSilence onSilence) {
		return new SilenceSettings(maxSilence, onSilence, null, ZoneId.systemDefault());
	}

	/**
	 * Parses a schedule given as text.
	 * @throws InvalidConnectionSettingException naming {@code inbound.silence-schedule}
	 * if it is not a valid cron expression
	 */
	public static CronExpression schedule(String expression) {
		if (expression == null || expression.isBlank()) {
			return null;
		}
		try {
			return CronExpression.parse(expression.trim());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConnectionSettingException("inbound.silence-schedule", expression, Reason.MALFORMED,
					"is not a cron expression (six fields, seconds first, e.g. \"* * 9-16 * * MON-FRI\"): "
							+ ex.getMessage());
		}
	}

	public boolean enabled() {
		return this.maxSilence != null;
	}

}
