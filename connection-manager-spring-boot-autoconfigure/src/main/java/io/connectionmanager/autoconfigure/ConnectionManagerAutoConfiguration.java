package io.connectionmanager.autoconfigure;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of managed connections: the {@link ConnectionManagerProperties} and
 * one {@link ManagedConnection} bean per entry of {@code connection-manager.connections}
 * (both declared by {@link ManagedConnectionRegistrar}, which binds the properties once,
 * when the context refreshes), the shared {@link ConnectionRuntime}, and a lifecycle that
 * connects them on start, disconnects them on stop, and closes them for good when the
 * context closes.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "connection-manager.enabled", matchIfMissing = true)
public final class ConnectionManagerAutoConfiguration {

	@Bean
	static ManagedConnectionRegistrar connectionManagerRegistrar() {
		return new ManagedConnectionRegistrar();
	}

	@Bean
	@ConditionalOnMissingBean
	ConnectionDefinitions connectionManagerDefinitions(ManagedConnectionRegistrar registrar) {
		return registrar.definitions();
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	ConnectionRuntime connectionManagerRuntime(ConnectionManagerProperties properties, Environment environment) {
		// Validated when the properties were bound: this cannot fail. Boot's switch
		// (spring.threads.virtual.enabled, Java 21+) moves handlers and listeners to
		// virtual threads; each connection's deliveries stay serial.
		return ConnectionRuntimeSettings.of(properties)
			.builder()
			.virtualThreads(Threading.VIRTUAL.isActive(environment))
			.build();
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
			ConnectionDefinitions definitions, ObjectProvider<ConnectionRoles> roles,
			ObjectProvider<ConnectionRegistry> registry) {
		return new ConnectionManagerLifecycle(connections, definitions, roles, registry);
	}

	@Bean
	@ConditionalOnMissingBean
	ConnectionRegistry connectionManagerRegistry(ConfigurableListableBeanFactory beanFactory,
			ManagedConnectionFactory factory, ConnectionManagerProperties properties, ConnectionDefinitions definitions,
			ConnectionManagerLifecycle lifecycle, ConnectionCircuitBreakers circuitBreakers,
			ObjectProvider<ConnectionRegistry.RegistrationListener> listeners) {
		return new ConnectionRegistry(beanFactory, factory, properties, definitions, lifecycle, circuitBreakers,
				listeners);
	}

}
