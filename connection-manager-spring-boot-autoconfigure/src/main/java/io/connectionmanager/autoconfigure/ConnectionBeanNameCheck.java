package io.connectionmanager.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import io.connectionmanager.core.ManagedConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Makes sure no configured connection is silently lost to another bean of the same name.
 * For each configured name held by a bean that is not the configured connection, the
 * bean's type is resolved the way Spring resolves it: a {@link ManagedConnection}
 * replaces the configured connection, as documented; anything else fails start-up with a
 * {@link ConnectionBeanConflictException}.
 * <p>
 * The check runs once every bean definition is registered and before any application bean
 * exists (a bean factory post-processor), from the types Spring predicts without creating
 * beans ({@code @Component} classes, {@code @Bean} method return types). Only a bean
 * whose predicted type could still be a {@link ManagedConnection} (such as a
 * {@code @Bean} method declared to return {@code Object}) is decided later, from the
 * created bean, once every singleton exists.
 */
final class ConnectionBeanNameCheck implements BeanFactoryPostProcessor, SmartInitializingSingleton {

	/** Attribute that marks the bean definitions of configured connections. */
	static final String CONFIGURED_CONNECTION = ConnectionBeanNameCheck.class.getName() + ".connection";

	private static final Log logger = LogFactory.getLog(ConnectionBeanNameCheck.class);

	private final List<String> names;

	private final List<String> undecided = new ArrayList<>();

	private ConfigurableListableBeanFactory beanFactory;

	ConnectionBeanNameCheck(List<String> names) {
		this.names = List.copyOf(names);
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
		for (String name : this.names) {
			if (isConfiguredConnection(name)) {
				continue;
			}
			// Never initialises a FactoryBean this early: its declared object type is
			// used.
			Class<?> type = beanFactory.getType(name, false);
			if (type == null || (type != ManagedConnection.class && type.isAssignableFrom(ManagedConnection.class))) {
				this.undecided.add(name);
			}
			else {
				accept(name, type);
			}
		}
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.undecided.forEach((name) -> accept(name, this.beanFactory.getType(name)));
	}

	private boolean isConfiguredConnection(String name) {
		return this.beanFactory.containsBeanDefinition(name)
				&& name.equals(this.beanFactory.getBeanDefinition(name).getAttribute(CONFIGURED_CONNECTION));
	}

	private void accept(String name, Class<?> type) {
		if (type == null || !ManagedConnection.class.isAssignableFrom(type)) {
			throw new ConnectionBeanConflictException(name, type, definedIn(name));
		}
		logger.info("Connection '" + name + "': using the application's own ManagedConnection bean of that name");
	}

	/** Where the bean is defined, if Spring knows. */
	private String definedIn(String name) {
		try {
			return this.beanFactory.getMergedBeanDefinition(name).getResourceDescription();
		}
		catch (NoSuchBeanDefinitionException ex) {
			return null;
		}
	}

}
