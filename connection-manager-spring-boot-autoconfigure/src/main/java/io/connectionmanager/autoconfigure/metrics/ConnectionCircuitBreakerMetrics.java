package io.connectionmanager.autoconfigure.metrics;

import io.connectionmanager.autoconfigure.ConnectionCircuitBreakers;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Resilience4j's {@code resilience4j.circuitbreaker.*} meters for connection breakers
 * kept in the private registry. Breakers in the application's own registry are left to
 * whoever owns it (e.g. resilience4j-spring-boot4), so they are never bound twice.
 */
final class ConnectionCircuitBreakerMetrics implements MeterBinder {

	private final ConnectionCircuitBreakers circuitBreakers;

	ConnectionCircuitBreakerMetrics(ConnectionCircuitBreakers circuitBreakers) {
		this.circuitBreakers = circuitBreakers;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		if (this.circuitBreakers.usesPrivateRegistry()) {
			TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(this.circuitBreakers.registry()).bindTo(registry);
		}
	}

}
