package io.connectionmanager.autoconfigure;

import io.connectionmanager.core.ManagedConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Declares one {@link ManagedConnection} bean per configured connection, named after it,
 * so that applications can inject {@code @Qualifier("market-data") ManagedConnection}.
 * Bean definitions must exist before any bean is created, so the properties are bound
 * here straight from the {@link Environment}; this is also where a bad value stops
 * start-up. A bean the application already declared under a connection's name wins.
 */
final class ManagedConnectionRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

	static final String DEFINITIONS_BEAN_NAME = "connectionManagerDefinitions";

	private static final Log logger = LogFactory.getLog(ManagedConnectionRegistrar.class);

	private Environment environment;

	private BeanFactory beanFactory;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		ConnectionDefinitions definitions = new ConnectionPropertiesBinder(this.environment).bind();
		if (!registry.containsBeanDefinition(DEFINITIONS_BEAN_NAME)) {
			registry.registerBeanDefinition(DEFINITIONS_BEAN_NAME,
					new RootBeanDefinition(ConnectionDefinitions.class, () -> definitions));
		}
		for (ConnectionDefinition definition : definitions.all()) {
			String name = definition.name();
			if (registry.containsBeanDefinition(name)) {
				logger.info("Connection '" + name + "': using the application's own bean of that name");
				continue;
			}
			// Looking the factory up inside the supplier makes the connection depend on
			// it (and on the runtime),
			// so connections are destroyed before the threads they run on.
			RootBeanDefinition connection = new RootBeanDefinition(ManagedConnection.class,
					() -> this.beanFactory.getBean(ManagedConnectionFactory.class).create(definition));
			connection.setDestroyMethodName("close");
			registry.registerBeanDefinition(name, connection);
		}
	}

}
