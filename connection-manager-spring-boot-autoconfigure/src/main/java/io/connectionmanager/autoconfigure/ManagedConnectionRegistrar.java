package io.connectionmanager.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import io.connectionmanager.core.ManagedConnection;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.BindMethod;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.core.env.Environment;

/**
 * Declares one {@link ManagedConnection} bean per configured connection, named after it,
 * so that applications can inject {@code @Qualifier("market-data") ManagedConnection}.
 * Bean definitions must exist before any bean is created, so the properties are bound
 * here, once ({@link ConnectionManagerBinding}), and that same instance is registered as
 * the {@link ConnectionManagerProperties} bean; this is also where a bad value stops
 * start-up.
 * <p>
 * This runs whenever the context refreshes, from the environment of that run, and never
 * while Spring AOT processes the application at build time: an application processed with
 * one connection and started with two gets two. The beans registered here have instance
 * suppliers, which only exist at run time, so none of them reaches AOT's generated code.
 * <p>
 * A name the application already uses is left to the application's bean; whether that
 * bean is a {@link ManagedConnection} (it then replaces the configured connection) or
 * something else (start-up fails) is checked by {@link ConnectionBeanNameCheck} once
 * every bean definition is known.
 */
final class ManagedConnectionRegistrar
		implements BeanDefinitionRegistryPostProcessor, EnvironmentAware, BeanFactoryAware {

	/**
	 * Boot's name for a properties bean: {@code <prefix>-<fully qualified class name>}.
	 */
	static final String PROPERTIES_BEAN_NAME = ConnectionManagerProperties.PREFIX + "-"
			+ ConnectionManagerProperties.class.getName();

	static final String NAME_CHECK_BEAN_NAME = "connectionManagerBeanNameCheck";

	static final String STORE_CHECK_BEAN_NAME = "connectionManagerSharedResumeStoreCheck";

	private Environment environment;

	private BeanFactory beanFactory;

	private ConnectionManagerBinding binding;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) throws BeansException {
		if (Boolean.getBoolean(AbstractAotProcessor.AOT_PROCESSING)) {
			return; // the build's environment is not the one the application runs with
		}
		ConnectionManagerBinding binding = ConnectionManagerBinding.bind(this.environment);
		this.binding = binding;
		registerProperties(registry, binding.properties());
		List<String> names = new ArrayList<>();
		for (ConnectionDefinition definition : binding.definitions().all()) {
			names.add(definition.name());
			if (!registry.containsBeanDefinition(definition.name()) && !registry.isAlias(definition.name())) {
				registry.registerBeanDefinition(definition.name(), connection(definition));
			}
		}
		if (!names.isEmpty()) {
			RootBeanDefinition storeCheck = new RootBeanDefinition(SharedResumeStoreCheck.class,
					() -> new SharedResumeStoreCheck(binding.definitions(),
							this.beanFactory.getBeanProvider(SharedResumeStores.class), this.environment));
			storeCheck.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
			registerIfAbsent(registry, STORE_CHECK_BEAN_NAME, storeCheck);
			RootBeanDefinition check = new RootBeanDefinition(ConnectionBeanNameCheck.class,
					() -> new ConnectionBeanNameCheck(names));
			check.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
			registerIfAbsent(registry, NAME_CHECK_BEAN_NAME, check);
		}
	}

	/**
	 * Every configured connection, as bound when the context refreshed.
	 */
	ConnectionDefinitions definitions() {
		if (this.binding == null) {
			throw new IllegalStateException("connection-manager.* is bound when the context refreshes");
		}
		return this.binding.definitions();
	}

	/**
	 * The bound instance, as it is. Marked as a value object, like Boot marks
	 * constructor-bound properties, so that it is not bound a second time, and still
	 * shown by the {@code configprops} endpoint.
	 */
	private static void registerProperties(BeanDefinitionRegistry registry, ConnectionManagerProperties properties) {
		RootBeanDefinition definition = new RootBeanDefinition(ConnectionManagerProperties.class, () -> properties);
		definition.setAttribute(BindMethod.class.getName(), BindMethod.VALUE_OBJECT);
		registerIfAbsent(registry, PROPERTIES_BEAN_NAME, definition);
	}

	private RootBeanDefinition connection(ConnectionDefinition definition) {
		// Looking the factory up inside the supplier makes the connection depend on it
		// (and on the runtime), so connections are destroyed before the threads they run
		// on.
		RootBeanDefinition connection = new RootBeanDefinition(ManagedConnection.class,
				() -> this.beanFactory.getBean(ManagedConnectionFactory.class).create(definition));
		connection.setDestroyMethodName("close");
		connection.setAttribute(ConnectionBeanNameCheck.CONFIGURED_CONNECTION, definition.name());
		return connection;
	}

	private static void registerIfAbsent(BeanDefinitionRegistry registry, String name, BeanDefinition definition) {
		if (!registry.containsBeanDefinition(name)) {
			registry.registerBeanDefinition(name, definition);
		}
	}

}
