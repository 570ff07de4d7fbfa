package io.connectionmanager.cluster.resume;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.connectionmanager.autoconfigure.ConnectionDefinition;
import io.connectionmanager.autoconfigure.ConnectionDefinitions;
import io.connectionmanager.autoconfigure.ResumeStoreType;
import io.connectionmanager.autoconfigure.SharedResumeStores;
import io.connectionmanager.core.ManagedConnectionBuilder;
import io.connectionmanager.core.config.ConnectionSettings;

import org.springframework.beans.factory.DisposableBean;

/**
 * Sets a shared store of one type on every connection configured with it: one store per
 * flush interval, shared by those connections, closed with the context.
 */
public class SharedResumeStoreProvider implements SharedResumeStores, DisposableBean {

	private final ResumeStoreType type;

	private final ConnectionDefinitions definitions;

	private final Function<Duration, SharedResumeStore> factory;

	private final Map<Duration, SharedResumeStore> stores = new ConcurrentHashMap<>();

	/**
	 * @param type the type provided
	 * @param definitions the configured connections
	 * @param factory makes a store for a flush interval
	 */
	public SharedResumeStoreProvider(ResumeStoreType type, ConnectionDefinitions definitions,
			Function<Duration, SharedResumeStore> factory) {
		this.type = type;
		this.definitions = definitions;
		this.factory = factory;
	}

	@Override
	public boolean supports(ResumeStoreType type) {
		return type == this.type;
	}

	@Override
	public void customize(ConnectionSettings settings, ManagedConnectionBuilder builder) {
		ConnectionDefinition definition = this.definitions.get(settings.name());
		if (definition != null && settings.resume().enabled() && definition.cluster().resumeStore() == this.type) {
			builder.resumeStore(this.stores.computeIfAbsent(settings.resume().flushInterval(), this.factory));
		}
	}

	@Override
	public void destroy() {
		this.stores.values().forEach(SharedResumeStore::close);
	}

}
