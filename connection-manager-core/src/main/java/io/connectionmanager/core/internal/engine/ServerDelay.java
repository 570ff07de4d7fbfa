package io.connectionmanager.core.internal.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.failure.Failure;
import io.connectionmanager.core.failure.UpgradeRejectedException;

/**
 * How long a server asked the client to stay away: {@code Retry-After} (seconds or an
 * HTTP date) on a 429 or 503 upgrade response, or, for close codes 1012 (service restart)
 * and 1013 (try again later), what the handler reads in the close reason (no format is
 * standard). Anything unreadable is no delay.
 */
final class ServerDelay {

	private final ConnectionHandler handler;

	private final Clock clock;

	private final CallbackFailures failures;

	ServerDelay(ConnectionHandler handler, Clock clock, CallbackFailures failures) {
		this.handler = handler;
		this.clock = clock;
		this.failures = failures;
	}

	/** From a failed attempt, or {@code null}. */
	Duration of(Failure failure) {
		if (failure.exception() instanceof UpgradeRejectedException rejected
				&& (rejected.status() == 429 || rejected.status() == 503)) {
			return retryAfter(rejected.retryAfter());
		}
		return null;
	}

	/** From a close frame, or {@code null}; on the event loop. */
	Duration ofClose(int code, String reason) {
		if (code != 1012 && code != 1013) {
			return null;
		}
		try {
			return this.handler.serverDelay(code, reason);
		}
		catch (RuntimeException ex) {
			this.failures.record("serverDelay", ex);
			return null;
		}
	}

	Duration retryAfter(String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String text = value.trim();
		try {
			long seconds = Long.parseLong(text);
			return (seconds > 0) ? Duration.ofSeconds(seconds) : null;
		}
		catch (NumberFormatException notSeconds) {
			try {
				ZonedDateTime at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
				Duration until = Duration.between(this.clock.instant(), at.toInstant());
				return (until.isNegative() || until.isZero()) ? null : until;
			}
			catch (DateTimeParseException notADate) {
				return null;
			}
		}
	}

}
