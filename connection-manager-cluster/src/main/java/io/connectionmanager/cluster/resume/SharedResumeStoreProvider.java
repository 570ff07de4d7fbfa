package io.connectionmanager.cluster.resume;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.connectionmanager.autoconfigure.ConnectionDefinition;
import io.connectionmanager.autoconfigure.ConnectionDefinitions;
import io.connectionmanager.autoconfigure.ResumeStoreType;
import io.connectionmanager.autoconfigure.SharedResumeStores;
import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.ManagedConnectionBuilder;
import io.connectionmanager.core.config.ConnectionSettings;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;

/**
 * Sets a shared store of one type on every connection configured with it: one store per
 * flush interval, shared by those connections, closed with the context.
 */
public class SharedResumeStoreProvider implements SharedResumeStores, DisposableBean {

	private final ResumeStoreType type;

	private final ConnectionDefinitions definitions;

	private final Function<Duration, SharedResumeStore> factory;

	private final Function<String, ConnectionHandler> handlers;

	private final Map<Duration, SharedResumeStore> stores = new ConcurrentHashMap<>();

	/**
	 * @param type the type provided
	 * @param definitions the configured connections
	 * @param handlers the application's handler of a connection, by name
	 * @param factory makes a store for a flush interval
	 */
	public SharedResumeStoreProvider(ResumeStoreType type, ConnectionDefinitions definitions,
			Function<String, ConnectionHandler> handlers, Function<Duration, SharedResumeStore> factory) {
		this.type = type;
		this.definitions = definitions;
		this.handlers = handlers;
		this.factory = factory;
	}

	/**
	 * The {@link ConnectionHandler} bean qualified (or named) after the connection, else
	 * {@link ConnectionHandler#NONE}: the auto-configuration's own rule.
	 */
	public static Function<String, ConnectionHandler> handlers(ListableBeanFactory beanFactory) {
		return (name) -> {
			try {
				return BeanFactoryAnnotationUtils.qualifiedBeanOfType(beanFactory, ConnectionHandler.class, name);
			}
			catch (NoUniqueBeanDefinitionException ex) {
				throw ex;
			}
			catch (NoSuchBeanDefinitionException ex) {
				return ConnectionHandler.NONE;
			}
		};
	}

	@Override
	public boolean supports(ResumeStoreType type) {
		return type == this.type;
	}

	@Override
	public void customize(ConnectionSettings settings, ManagedConnectionBuilder builder) {
		ConnectionDefinition definition = this.definitions.get(settings.name());
		if (definition != null && settings.resume().enabled() && definition.cluster().resumeStore() == this.type) {
			SharedResumeStore store = this.stores.computeIfAbsent(settings.resume().flushInterval(), this.factory);
			builder.resumeStore(store);
			builder.handler(new ResumingHandler(this.handlers.apply(settings.name()), settings, store));
		}
	}

	@Override
	public void destroy() {
		this.stores.values().forEach(SharedResumeStore::close);
	}

}
