package io.connectionmanager.autoconfigure;

import java.util.function.Supplier;

import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.ManagedConnectionBuilder;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.autoconfigure.ssl.ConnectionSslBundles;
import io.connectionmanager.core.config.InvalidConnectionSettingException;
import io.connectionmanager.core.config.InvalidConnectionSettingException.Reason;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.netty.handler.ssl.SslContext;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundles;
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

	private final ConnectionSslBundles sslBundles;

	public ManagedConnectionFactory(ConnectionRuntime runtime, ConnectionCircuitBreakers circuitBreakers,
			ListableBeanFactory beanFactory, ApplicationEventPublisher eventPublisher,
			ObjectProvider<ConnectionBuilderCustomizer> customizers, Environment environment) {
		this.runtime = runtime;
		this.circuitBreakers = circuitBreakers;
		this.beanFactory = beanFactory;
		this.eventPublisher = eventPublisher;
		this.customizers = customizers;
		this.errors = new InvalidPropertyTranslator(environment);
		this.sslBundles = new ConnectionSslBundles(beanFactory.getBeanProvider(SslBundles.class));
	}

	/**
	 * Builds the connection.
	 * @throws InvalidConnectionPropertyException when the engine rejects a setting only
	 * when building (e.g. a scheme without a transport)
	 */
	public ManagedConnection create(ConnectionDefinition definition) {
		try {
			return build(definition, handlerFor(definition.name()), sslBundleOf(definition.name()));
		}
		catch (InvalidConnectionSettingException ex) {
			throw this.errors.translate(definition.name(), ex);
		}
	}

	/**
	 * Builds a connection registered at run time ({@link ConnectionRegistry}).
	 * @param definition the merged and validated definition
	 * @param handler its handler
	 * @param sslBundle the name of its SSL bundle ({@code ssl.bundle}), or {@code null}
	 * @throws InvalidConnectionSettingException naming the property relative to the
	 * connection
	 */
	public ManagedConnection create(ConnectionDefinition definition, ConnectionHandler handler, String sslBundle) {
		return build(definition, handler, sslBundle);
	}

	private ManagedConnection build(ConnectionDefinition definition, ConnectionHandler handler, String sslBundle) {
		ConnectionSettings settings = definition.settings();
		ManagedConnectionBuilder builder = ManagedConnection.builder(settings).runtime(this.runtime).handler(handler);
		if (sslBundle != null && settings.isSecure()) {
			builder.sslContext(sslContext(sslBundle));
		}
		CircuitBreaker circuitBreaker = this.circuitBreakers.circuitBreaker(settings, this.runtime.clock());
		if (circuitBreaker != null) {
			builder.circuitBreaker(circuitBreaker);
		}
		this.customizers.orderedStream().forEach((customizer) -> customizer.customize(settings, builder));
		ManagedConnection connection = builder.build();
		connection.addListener(new ApplicationEventPublishingListener(connection, this.eventPublisher));
		return connection;
	}

	/** {@code ssl.bundle}: Boot's bundle of that name, reloaded with it. */
	private Supplier<SslContext> sslContext(String bundle) {
		try {
			return this.sslBundles.sslContext(bundle);
		}
		catch (NoSuchSslBundleException ex) {
			throw new InvalidConnectionSettingException("ssl.bundle", bundle, Reason.UNSUPPORTED_VALUE,
					"names no SSL bundle: define it under spring.ssl.bundle.jks." + bundle
							+ " or spring.ssl.bundle.pem." + bundle);
		}
	}

	/** The {@code ssl.bundle} of a configured connection (or of the defaults). */
	private String sslBundleOf(String name) {
		ConnectionManagerProperties properties = this.beanFactory.getBeanProvider(ConnectionManagerProperties.class)
			.getIfAvailable();
		ConnectionProperties connection = (properties != null) ? properties.connections().get(name) : null;
		return (connection != null) ? ConnectionSettingsMapper.sslBundle(connection, properties.defaults()) : null;
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
