package io.connectionmanager.autoconfigure.aot;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import io.connectionmanager.core.handler.ConnectionHandler;

import org.springframework.aot.hint.ReflectionHints;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Hints the type of every {@link ConnectionHandler} bean: a connection finds its handler
 * at run time by the {@code @Qualifier} on the handler's class (or its bean name), which
 * a native image can only read from a class registered for reflection.
 */
class ConnectionHandlerAotProcessor implements BeanFactoryInitializationAotProcessor {

	@Override
	public BeanFactoryInitializationAotContribution processAheadOfTime(ConfigurableListableBeanFactory beanFactory) {
		List<Class<?>> types = Arrays.stream(beanFactory.getBeanNamesForType(ConnectionHandler.class, true, false))
			.map((name) -> beanFactory.getType(name, false))
			.filter(Objects::nonNull)
			.map(ClassUtils::getUserClass)
			.distinct()
			.toList();
		if (types.isEmpty()) {
			return null;
		}
		return (generationContext, code) -> {
			ReflectionHints reflection = generationContext.getRuntimeHints().reflection();
			types.forEach(reflection::registerType);
		};
	}

}
