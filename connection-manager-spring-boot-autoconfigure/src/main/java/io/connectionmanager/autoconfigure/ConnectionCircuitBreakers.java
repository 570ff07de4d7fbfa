package io.connectionmanager.autoconfigure;

import java.time.Clock;

import io.connectionmanager.core.config.ConnectionSettings;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Where connection breakers live. If the application has a {@link CircuitBreakerRegistry}
 * bean (for instance from {@code resilience4j-spring-boot4}), breakers are created there
 * so they show in its endpoints, health and metrics. Otherwise they go into a private
 * registry, whose metrics are bound separately when Micrometer is present.
 */
public class ConnectionCircuitBreakers {

	private final ObjectProvider<CircuitBreakerRegistry> applicationRegistry;

	private final CircuitBreakerRegistry privateRegistry = CircuitBreakerRegistry.ofDefaults();

	public ConnectionCircuitBreakers(ObjectProvider<CircuitBreakerRegistry> applicationRegistry) {
		this.applicationRegistry = applicationRegistry;
	}

	/**
	 * The breaker for a connection, or {@code null} when circuit breaking is disabled for
	 * it. An existing breaker of the same name in the application's registry (e.g.
	 * configured under {@code resilience4j.circuitbreaker}) is reused as it is.
	 */
	public CircuitBreaker circuitBreaker(ConnectionSettings settings, Clock clock) {
		if (!settings.circuitBreaker().enabled()) {
			return null;
		}
		return registry().circuitBreaker(settings.name(), settings.circuitBreaker().toConfig(clock));
	}

	/** The registry breakers are created in. */
	public CircuitBreakerRegistry registry() {
		CircuitBreakerRegistry registry = this.applicationRegistry.getIfUnique();
		return (registry != null) ? registry : this.privateRegistry;
	}

	/**
	 * Whether breakers go to a private registry, which nothing else publishes metrics
	 * for.
	 */
	public boolean usesPrivateRegistry() {
		return registry() == this.privateRegistry;
	}

}
