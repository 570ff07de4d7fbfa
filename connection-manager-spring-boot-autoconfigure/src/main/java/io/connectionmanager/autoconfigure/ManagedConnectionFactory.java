package io.connectionmanager.autoconfigure;

import io.connectionmanager.core.ConnectionHandler;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.ManagedConnectionBuilder;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.InvalidConnectionSettingException;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.env.Environment;

/**
 * Builds the {@link ManagedConnection} of a configured connection: the shared runtime,
 * the handler qualified with the connection's name, its circuit breaker, the customizers,
 * and a listener that republishes everything as Spring events.
 */
public class ManagedConnectionFactory {

	private final ConnectionRuntime runtime;

	private final ConnectionCircuitBreakers circuitBreakers;

	private final ListableBeanFactory beanFactory;

	private final ApplicationEventPublisher eventPublisher;

	private final ObjectProvider<ConnectionBuilderCustomizer> customizers;

	private final InvalidPropertyTranslator errors;

	public ManagedConnectionFactory(ConnectionRuntime runtime, ConnectionCircuitBreakers circuitBreakers,
			ListableBeanFactory beanFactory, ApplicationEventPublisher eventPublisher,
			ObjectProvider<ConnectionBuilderCustomizer> customizers, Environment environment) {
		this.runtime = runtime;
		this.circuitBreakers = circuitBreakers;
		this.beanFactory = beanFactory;
		this.eventPublisher = eventPublisher;
		this.customizers = customizers;
		this.errors = new InvalidPropertyTranslator(environment);
	}

	/**
	 * Builds the connection.
	 * @throws InvalidConnectionPropertyException when the engine rejects a setting only
	 * when building (e.g. a scheme without a transport)
	 */
	public ManagedConnection create(ConnectionDefinition definition) {
		try {
			return build(definition);
		}
		catch (InvalidConnectionSettingException ex) {
			throw this.errors.translate(definition.name(), ex);
		}
	}

	private ManagedConnection build(ConnectionDefinition definition) {
		ConnectionSettings settings = definition.settings();
		ManagedConnectionBuilder builder = ManagedConnection.builder(settings)
			.runtime(this.runtime)
			.handler(handlerFor(settings.name()));
		CircuitBreaker circuitBreaker = this.circuitBreakers.circuitBreaker(settings, this.runtime.clock());
		if (circuitBreaker != null) {
			builder.circuitBreaker(circuitBreaker);
		}
		this.customizers.orderedStream().forEach((customizer) -> customizer.customize(settings, builder));
		ManagedConnection connection = builder.build();
		connection.addListener(new ApplicationEventPublishingListener(connection, this.eventPublisher));
		return connection;
	}

	/**
	 * The {@link ConnectionHandler} bean qualified (or named) after the connection, else
	 * {@link ConnectionHandler#NONE}.
	 */
	private ConnectionHandler handlerFor(String name) {
		try {
			return BeanFactoryAnnotationUtils.qualifiedBeanOfType(this.beanFactory, ConnectionHandler.class, name);
		}
		catch (NoUniqueBeanDefinitionException ex) {
			throw ex; // two handlers for one connection is a mistake worth failing on
		}
		catch (NoSuchBeanDefinitionException ex) {
			return ConnectionHandler.NONE;
		}
	}

}
