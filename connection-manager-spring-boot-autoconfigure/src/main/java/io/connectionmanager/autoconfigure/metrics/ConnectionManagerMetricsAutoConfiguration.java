package io.connectionmanager.autoconfigure.metrics;

import io.connectionmanager.actuate.metrics.ConnectionMetrics;
import io.connectionmanager.autoconfigure.ConnectionCircuitBreakers;
import io.connectionmanager.autoconfigure.ConnectionDefinitions;
import io.connectionmanager.autoconfigure.ConnectionManagerAutoConfiguration;
import io.connectionmanager.core.ManagedConnection;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of connection metrics when Micrometer is on the class path. Boot
 * binds every {@link MeterBinder} bean to its registries.
 */
@AutoConfiguration(after = ConnectionManagerAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(ConnectionDefinitions.class)
public final class ConnectionManagerMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ConnectionMetrics connectionManagerMetrics(ObjectProvider<ManagedConnection> connections) {
		return new ConnectionMetrics(() -> connections.orderedStream().iterator());
	}

	@Bean
	@ConditionalOnMissingBean
	RegisteredConnectionMeters connectionManagerRegisteredConnectionMeters(ObjectProvider<MeterRegistry> registries) {
		return new RegisteredConnectionMeters(registries);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(TaggedRateLimiterMetrics.class)
	static class RateLimiterMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "connectionManagerRateLimiterMetrics")
		MeterBinder connectionManagerRateLimiterMetrics(ObjectProvider<ManagedConnection> connections) {
			return new ConnectionRateLimiterMetrics(() -> connections.orderedStream().iterator());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(TaggedCircuitBreakerMetrics.class)
	@ConditionalOnBean(ConnectionCircuitBreakers.class)
	static class CircuitBreakerMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "connectionManagerCircuitBreakerMetrics")
		MeterBinder connectionManagerCircuitBreakerMetrics(ConnectionCircuitBreakers circuitBreakers) {
			return new ConnectionCircuitBreakerMetrics(circuitBreakers);
		}

	}

}
