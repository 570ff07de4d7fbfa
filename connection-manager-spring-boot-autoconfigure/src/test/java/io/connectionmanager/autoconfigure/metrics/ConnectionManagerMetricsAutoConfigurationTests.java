package io.connectionmanager.autoconfigure.metrics;

import java.time.Duration;

import io.connectionmanager.actuate.metrics.ConnectionMetrics;
import io.connectionmanager.autoconfigure.ConnectionManagerAutoConfiguration;
import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.test.server.TestWebSocketServer;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ConnectionManagerMetricsAutoConfigurationTests {

	private static TestWebSocketServer server;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ConnectionManagerAutoConfiguration.class,
				ConnectionManagerMetricsAutoConfiguration.class))
		.withPropertyValues("connection-manager.runtime.threads=1",
				"connection-manager.connections.feed.url=" + "ws://127.0.0.1:1/unused",
				"connection-manager.connections.feed.auto-startup=false");

	@BeforeAll
	static void startServer() {
		server = TestWebSocketServer.start();
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Test
	void metersPerConnection() {
		this.runner.withPropertyValues("connection-manager.connections.feed.url=" + server.uri("/feed"))
			.run((context) -> {
				ManagedConnection feed = context.getBean("feed", ManagedConnection.class);
				MeterRegistry registry = new SimpleMeterRegistry();
				context.getBean(ConnectionMetrics.class).bindTo(registry);
				assertThat(registry.get("connection.manager.state")
					.tag("connection", "feed")
					.tag("state", "DISCONNECTED")
					.gauge()
					.value()).isEqualTo(1);
				feed.connect();
				await().atMost(Duration.ofSeconds(10)).until(() -> feed.state() == ConnectionState.CONNECTED);
				feed.send("ping-me");
				await().atMost(Duration.ofSeconds(10)).until(() -> feed.snapshot().messagesIn() == 1);
				assertThat(registry.get("connection.manager.state").tag("state", "CONNECTED").gauge().value())
					.isEqualTo(1);
				assertThat(registry.get("connection.manager.state").tag("state", "DISCONNECTED").gauge().value())
					.isZero();
				assertThat(registry.get("connection.manager.state").gauges()).hasSize(ConnectionState.values().length);
				assertThat(registry.get("connection.manager.attempts").functionCounter().count()).isEqualTo(1);
				assertThat(registry.get("connection.manager.messages.out").functionCounter().count()).isEqualTo(1);
				assertThat(registry.get("connection.manager.messages.in").functionCounter().count()).isEqualTo(1);
				assertThat(registry.get("connection.manager.buffered").gauge().value()).isZero();
				assertThat(registry.get("connection.manager.duplicates.dropped").functionCounter().count()).isZero();
				assertThat(registry.get("connection.manager.gaps").functionCounter().count()).isZero();
				assertThat(registry.get("connection.manager.outbound.dropped").functionCounter().count()).isZero();
				assertThat(registry.get("connection.manager.heartbeat.round.trip").timeGauge()).isNotNull();
				assertThat(registry.get("connection.manager.handler.errors")
					.tag("connection", "feed")
					.functionCounter()
					.count()).isZero();
				assertThat(registry.get("connection.manager.outbound.pending.bytes").tag("connection", "feed").gauge())
					.satisfies((gauge) -> {
						assertThat(gauge.value()).isZero();
						assertThat(gauge.getId().getBaseUnit()).isEqualTo("bytes");
					});
			});
	}

	@Test
	void handlerErrorsAreCounted() {
		this.runner.withPropertyValues("connection-manager.connections.feed.url=" + server.uri("/feed"))
			.withUserConfiguration(FailingHandler.class)
			.run((context) -> {
				ManagedConnection feed = context.getBean("feed", ManagedConnection.class);
				MeterRegistry registry = new SimpleMeterRegistry();
				context.getBean(ConnectionMetrics.class).bindTo(registry);
				feed.connect();
				await().atMost(Duration.ofSeconds(10)).until(() -> feed.state() == ConnectionState.CONNECTED);
				feed.send("one");
				feed.send("two");
				FunctionCounter errors = registry.get("connection.manager.handler.errors")
					.tag("connection", "feed")
					.functionCounter();
				await().atMost(Duration.ofSeconds(10)).until(() -> errors.count() == 2);
				assertThat(feed.state()).isEqualTo(ConnectionState.CONNECTED);
			});
	}

	@Test
	void privateBreakersGetResilience4jMeters() {
		this.runner.run((context) -> {
			MeterRegistry registry = new SimpleMeterRegistry();
			context.getBean("connectionManagerCircuitBreakerMetrics", MeterBinder.class).bindTo(registry);
			assertThat(registry.find("resilience4j.circuitbreaker.state").tag("name", "feed").gauges()).isNotEmpty();
		});
	}

	@Test
	void breakersOfTheApplicationRegistryAreLeftToItsOwner() {
		this.runner.withBean(CircuitBreakerRegistry.class, CircuitBreakerRegistry::ofDefaults).run((context) -> {
			MeterRegistry registry = new SimpleMeterRegistry();
			context.getBean("connectionManagerCircuitBreakerMetrics", MeterBinder.class).bindTo(registry);
			assertThat(registry.find("resilience4j.circuitbreaker.state").gauges()).isEmpty();
		});
	}

	@Test
	void absentWithoutMicrometer() {
		this.runner.withClassLoader(new FilteredClassLoader(MeterBinder.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ConnectionMetrics.class)
				.doesNotHaveBean("connectionManagerCircuitBreakerMetrics"));
	}

	@Test
	void noBreakerMetersWithoutResilience4jMicrometer() {
		this.runner.withClassLoader(new FilteredClassLoader(TaggedCircuitBreakerMetrics.class))
			.run((context) -> assertThat(context).hasSingleBean(ConnectionMetrics.class)
				.doesNotHaveBean("connectionManagerCircuitBreakerMetrics"));
	}

	@Test
	void absentWhenTheMasterSwitchIsOff() {
		this.runner.withPropertyValues("connection-manager.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ConnectionMetrics.class));
	}

	@Test
	void userMetricsWin() {
		this.runner.withBean("myMetrics", ConnectionMetrics.class, () -> new ConnectionMetrics(java.util.List.of()))
			.run((context) -> assertThat(context).hasSingleBean(ConnectionMetrics.class).hasBean("myMetrics"));
	}

	@Configuration(proxyBeanMethods = false)
	static class FailingHandler {

		@Bean
		@Qualifier("feed")
		ConnectionHandler failingFeedHandler() {
			return new ConnectionHandler() {

				@Override
				public void onMessage(Message message) {
					throw new IllegalStateException("handler bug");
				}

			};
		}

	}

}
