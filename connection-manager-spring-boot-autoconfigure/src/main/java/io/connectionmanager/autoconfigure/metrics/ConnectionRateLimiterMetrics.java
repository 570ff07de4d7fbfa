package io.connectionmanager.autoconfigure.metrics;

import io.connectionmanager.core.ManagedConnection;
import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Resilience4j's {@code resilience4j.ratelimiter.*} meters (tag {@code name}, the
 * connection's name) for the outbound rate limiters of connections that have one
 * ({@code outbound.rate-limit.*}). The limiters belong to their connections; a private
 * registry only hands them to Resilience4j's own binder.
 */
final class ConnectionRateLimiterMetrics implements MeterBinder {

	private final Iterable<ManagedConnection> connections;

	ConnectionRateLimiterMetrics(Iterable<ManagedConnection> connections) {
		this.connections = connections;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		RateLimiterRegistry limiters = RateLimiterRegistry.ofDefaults();
		for (ManagedConnection connection : this.connections) {
			RateLimiter limiter = connection.rateLimiter();
			if (limiter != null) {
				// The registry only creates limiters: make a placeholder, then put the
				// connection's own in its place.
				limiters.rateLimiter(limiter.getName(), limiter.getRateLimiterConfig());
				limiters.replace(limiter.getName(), limiter);
			}
		}
		if (!limiters.getAllRateLimiters().isEmpty()) {
			TaggedRateLimiterMetrics.ofRateLimiterRegistry(limiters).bindTo(registry);
		}
	}

}
