package io.connectionmanager.autoconfigure.metrics;

import io.connectionmanager.autoconfigure.ConnectionManagerAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection with {@code outbound.rate-limit} gets Resilience4j's rate limiter meters,
 * tagged with its name; one without gets none.
 */
class ConnectionRateLimiterMetricsTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ConnectionManagerAutoConfiguration.class,
				ConnectionManagerMetricsAutoConfiguration.class))
		.withPropertyValues("connection-manager.runtime.threads=1",
				"connection-manager.connections.orders.url=ws://127.0.0.1:1/orders",
				"connection-manager.connections.orders.auto-startup=false",
				"connection-manager.connections.orders.outbound.rate-limit.limit-for-period=5",
				"connection-manager.connections.ticks.url=ws://127.0.0.1:1/ticks",
				"connection-manager.connections.ticks.auto-startup=false");

	@Test
	void rateLimitedConnectionsHaveResilience4jMeters() {
		this.runner.run((context) -> {
			MeterRegistry registry = new SimpleMeterRegistry();
			context.getBean("connectionManagerRateLimiterMetrics", MeterBinder.class).bindTo(registry);
			assertThat(registry.get("resilience4j.ratelimiter.available.permissions")
				.tag("name", "orders")
				.gauge()
				.value()).isEqualTo(5.0);
			assertThat(registry.find("resilience4j.ratelimiter.available.permissions").tag("name", "ticks").gauge())
				.isNull();
		});
	}

}
