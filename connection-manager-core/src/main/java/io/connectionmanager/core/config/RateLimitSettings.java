package io.connectionmanager.core.config;

import java.time.Duration;

/**
 * The outbound rate limit: at most {@code limitForPeriod} messages in any window of
 * {@code limitRefreshPeriod}, in Resilience4j's names. A send that would exceed it waits
 * (in order, in the outbound buffer) for a permit; one that cannot get a permit within
 * {@code timeout} fails its future.
 *
 * @param limitForPeriod messages allowed per window, at most 10,000; 0 turns the limit
 * off (the default)
 * @param limitRefreshPeriod the window
 * @param timeout the longest a message waits for a permit, counted from when it could
 * otherwise have been written; 0 fails a send that finds no permit at once
 */
public record RateLimitSettings(int limitForPeriod, Duration limitRefreshPeriod, Duration timeout) {

	/** The largest limit: the engine keeps the send time of each message in a window. */
	public static final int MAX_LIMIT_FOR_PERIOD = 10_000;

	public RateLimitSettings {
		Settings.between("outbound.rate-limit.limit-for-period", limitForPeriod, 0, MAX_LIMIT_FOR_PERIOD);
		Settings.positive("outbound.rate-limit.limit-refresh-period", limitRefreshPeriod);
		if (timeout == null) {
			throw Settings.required("outbound.rate-limit.timeout", "is required");
		}
		if (timeout.isNegative()) {
			throw new InvalidConnectionSettingException("outbound.rate-limit.timeout", timeout,
					InvalidConnectionSettingException.Reason.TOO_SMALL, "must not be negative");
		}
		Settings.atMost("outbound.rate-limit.timeout", timeout, Settings.MAX_DURATION);
	}

	// A shared instance (settings are immutable).
	private static final RateLimitSettings DISABLED = new RateLimitSettings(0, Duration.ofSeconds(1),
			Duration.ofSeconds(5));

	/** No limit; the period and timeout apply once a limit is set. */
	public static RateLimitSettings disabled() {
		return DISABLED;
	}

	/** {@code limitForPeriod} per {@code limitRefreshPeriod}, waiting at most 5 s. */
	public static RateLimitSettings of(int limitForPeriod, Duration limitRefreshPeriod) {
		return new RateLimitSettings(limitForPeriod, limitRefreshPeriod, Duration.ofSeconds(5));
	}

	public boolean enabled() {
		return this.limitForPeriod > 0;
	}

}
