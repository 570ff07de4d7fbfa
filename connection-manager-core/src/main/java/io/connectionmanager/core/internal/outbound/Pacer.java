package io.connectionmanager.core.internal.outbound;

import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;

import io.connectionmanager.core.config.RateLimitSettings;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;

/**
 * Decides when the next outbound message may leave under {@code outbound.rate-limit}: at
 * most {@code L = limit-for-period} messages in <em>any</em> window of
 * {@code P = limit-refresh-period}.
 * <p>
 * A Resilience4j {@link RateLimiter} counts permits per fixed cycle, which alone would
 * let 2L messages through within moments: L at the end of one cycle and L more at the
 * start of the next. So a message leaves only when both hold:
 * <ol>
 * <li>it holds a permit of the connection's Resilience4j limiter, reserved
 * ({@code reservePermission}, never a blocking acquire) when the message reaches the head
 * of the outbound queue, so permits are taken in send order; the limiter is configured
 * with L permits per {@code W = P + P/L}, and its meters show what is used;</li>
 * <li>fewer than L messages left in the preceding {@code W} (a ring of the last L send
 * times).</li>
 * </ol>
 * The second rule is the guarantee: any L + 1 consecutive messages span at least W, so no
 * window of P holds more than L, with P/L of headroom for the jitter between this process
 * and the server, which counts arrivals, not departures. Bursts of up to L still leave at
 * once. The price is throughput: at most L per W, i.e. L/(L+1) of the nominal rate.
 * <p>
 * Thread safety: guarded by the {@link OutboundBuffer}'s lock.
 */
public final class Pacer {

	private final RateLimiter limiter;

	private final long[] ring;

	private final long windowNanos;

	private final long timeoutNanos;

	private int next;

	private int count;

	/**
	 * @param name the limiter's name (the connection's)
	 * @param settings the limit
	 * @param nanoTime the connection's monotonic clock (virtual in tests)
	 */
	public Pacer(String name, RateLimitSettings settings, LongSupplier nanoTime) {
		int limit = settings.limitForPeriod();
		Duration period = settings.limitRefreshPeriod();
		Duration window = period.plus(period.dividedBy(limit));
		this.windowNanos = window.toNanos();
		this.timeoutNanos = settings.timeout().toNanos();
		this.ring = new long[limit];
		RateLimiterConfig config = RateLimiterConfig.custom()
			.limitForPeriod(limit)
			.limitRefreshPeriod(window)
			// A head-of-queue reservation never waits more than one cycle.
			.timeoutDuration(window)
			.build();
		this.limiter = new AtomicRateLimiter(name, config, Map.of(), nanoTime::getAsLong);
	}

	/** The connection's limiter, for its meters. */
	public RateLimiter limiter() {
		return this.limiter;
	}

	/** How long a message may wait for its turn before its send fails. */
	long timeoutNanos() {
		return this.timeoutNanos;
	}

	/** Reserves the next permit; returns when it may be used. */
	long reserve(long now) {
		long wait = this.limiter.reservePermission();
		return now + ((wait >= 0) ? wait : this.windowNanos);
	}

	/** The earliest time a message may leave, by the sliding window. */
	long earliest(long now) {
		if (this.count < this.ring.length) {
			return now;
		}
		return Math.max(now, this.ring[this.next] + this.windowNanos);
	}

	/** A message left at {@code now}. */
	void sent(long now) {
		this.ring[this.next] = now;
		this.next = (this.next + 1) % this.ring.length;
		if (this.count < this.ring.length) {
			this.count++;
		}
	}

}
