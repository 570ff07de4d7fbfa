package io.connectionmanager.autoconfigure;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of managed connections: one {@link ManagedConnection} bean per entry
 * of {@code connection-manager.connections} (declared by
 * {@link ManagedConnectionRegistrar}), the shared {@link ConnectionRuntime}, and a
 * lifecycle that connects them on start and closes them on shutdown.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "connection-manager.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ConnectionManagerProperties.class)
@Import(ManagedConnectionRegistrar.class)
public final class ConnectionManagerAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	ConnectionRuntime connectionManagerRuntime(ConnectionManagerProperties properties) {
		int threads = properties.getRuntime().effectiveThreads();
		if (threads < 1) {
			String property = ConnectionManagerProperties.PREFIX + ".runtime.threads";
			throw new InvalidConnectionPropertyException(null, property, property, Integer.toString(threads), null,
					"must be at least 1", null);
		}
		return ConnectionRuntime.create(threads);
	}

	@Bean
	@ConditionalOnMissingBean
	ConnectionCircuitBreakers connectionManagerCircuitBreakers(
			ObjectProvider<CircuitBreakerRegistry> circuitBreakerRegistry) {
		return new ConnectionCircuitBreakers(circuitBreakerRegistry);
	}

	@Bean
	@ConditionalOnMissingBean
	ManagedConnectionFactory connectionManagerConnectionFactory(ConnectionRuntime runtime,
			ConnectionCircuitBreakers circuitBreakers, ListableBeanFactory beanFactory,
			ApplicationEventPublisher eventPublisher, ObjectProvider<ConnectionBuilderCustomizer> customizers,
			Environment environment) {
		return new ManagedConnectionFactory(runtime, circuitBreakers, beanFactory, eventPublisher, customizers,
				environment);
	}

	@Bean
	@ConditionalOnMissingBean
	ConnectionManagerLifecycle connectionManagerLifecycle(ObjectProvider<ManagedConnection> connections,
			ConnectionDefinitions definitions) {
		return new ConnectionManagerLifecycle(connections, definitions);
	}

}
