package io.connectionmanager.autoconfigure;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.InvalidConnectionSettingException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.SingletonBeanRegistry;

/**
 * Connections added and removed while the application runs, e.g. one per tenant of a
 * gateway. A registered connection is treated like a configured one: its properties are
 * merged over {@code connection-manager.defaults}, it is a {@link ManagedConnection}
 * singleton named after it (so the {@code connections} endpoint, the lifecycle and
 * {@code ObjectProvider<ManagedConnection>} see it), it has a health component, meters
 * and a circuit breaker, and publishes the same application events. It connects at once
 * when the application is running and {@code auto-startup} is not false.
 * {@link #unregister(String) Unregistering} closes it with 1000 and removes its bean,
 * health component, meters and breaker. Names must be unique among all connections and
 * beans. <pre>
 * ManagedConnection tenant = registry.register("tenant-42", properties, handler);
 * registry.unregister("tenant-42").join();
 * </pre>
 */
public class ConnectionRegistry implements DisposableBean {

	private static final Log logger = LogFactory.getLog(ConnectionRegistry.class);

	private final SingletonBeanRegistry beans;

	private final ManagedConnectionFactory factory;

	private final ConnectionSettingsMapper mapper;

	private final ConnectionProperties defaults;

	private final ConnectionDefinitions configured;

	private final ConnectionManagerLifecycle lifecycle;

	private final ConnectionCircuitBreakers circuitBreakers;

	private final ObjectProvider<RegistrationListener> listeners;

	private final Map<String, Registered> registered = new ConcurrentHashMap<>();

	/**
	 * @param beans where registered connections become singletons
	 * @param factory builds connections as it builds configured ones
	 * @param properties the bound properties (their {@code defaults} are merged under
	 * registered properties)
	 * @param configured the configured connections, whose names are taken
	 * @param lifecycle whether the application is running
	 * @param circuitBreakers where breakers live (a registered connection's is removed
	 * with it)
	 * @param listeners told of every registration and removal (e.g. meters)
	 */
	public ConnectionRegistry(SingletonBeanRegistry beans, ManagedConnectionFactory factory,
			ConnectionManagerProperties properties, ConnectionDefinitions configured,
			ConnectionManagerLifecycle lifecycle, ConnectionCircuitBreakers circuitBreakers,
			ObjectProvider<RegistrationListener> listeners) {
		this.beans = beans;
		this.factory = factory;
		this.defaults = properties.defaults();
		this.mapper = new ConnectionSettingsMapper(this.defaults);
		this.configured = configured;
		this.lifecycle = lifecycle;
		this.circuitBreakers = circuitBreakers;
		this.listeners = listeners;
	}

	/**
	 * Adds a connection described like one under {@code connection-manager.connections}
	 * (unset values come from {@code connection-manager.defaults}, then the built-in
	 * defaults). Bind them with Spring's {@code Binder} from any property source, or
	 * build the record directly.
	 * @param name the connection's name: bean name, health component, metric tag
	 * @param properties its keys
	 * @param handler its protocol, or {@code null} for {@link ConnectionHandler#NONE}
	 * @return the connection, connecting if the application runs and auto-startup is on
	 * @throws InvalidConnectionSettingException for an invalid value (naming the property
	 * relative to the connection)
	 * @throws IllegalStateException when the name is taken
	 */
	public ManagedConnection register(String name, ConnectionProperties properties, ConnectionHandler handler) {
		Objects.requireNonNull(properties, "properties");
		ConnectionDefinition definition = this.mapper.map(name, properties);
		return register(definition, handler, ConnectionSettingsMapper.sslBundle(properties, this.defaults));
	}

	/**
	 * Adds a connection from complete core settings (no defaults are merged), critical
	 * and started automatically.
	 * @throws IllegalStateException when the name is taken
	 */
	public ManagedConnection register(ConnectionSettings settings, ConnectionHandler handler) {
		return register(new ConnectionDefinition(settings, ConnectionDefinition.DEFAULT_AUTO_STARTUP,
				ConnectionDefinition.DEFAULT_CRITICAL), handler, null);
	}

	private synchronized ManagedConnection register(ConnectionDefinition definition, ConnectionHandler handler,
			String sslBundle) {
		String name = definition.name();
		if (this.configured.get(name) != null || this.registered.containsKey(name)
				|| this.beans.containsSingleton(name)) {
			throw new IllegalStateException("A connection or bean named '" + name + "' already exists");
		}
		ManagedConnection connection = this.factory.create(definition,
				(handler != null) ? handler : ConnectionHandler.NONE, sslBundle);
		this.beans.registerSingleton(name, connection);
		this.registered.put(name, new Registered(definition, connection));
		this.listeners.orderedStream().forEach((listener) -> listener.registered(connection));
		if (this.lifecycle.isRunning() && definition.autoStartup()) {
			connection.connect();
		}
		return connection;
	}

	/**
	 * Removes a registered connection: it no longer shows in health, the endpoint or the
	 * meters, and it closes with 1000 (then for good).
	 * @return completes with {@code true} once the connection is closed, or at once with
	 * {@code false} when no connection of that name was registered
	 * @throws IllegalArgumentException for a connection configured in the properties
	 */
	public CompletableFuture<Boolean> unregister(String name) {
		if (this.configured.get(name) != null) {
			throw new IllegalArgumentException(
					"Connection '" + name + "' is configured in the application's properties, not registered");
		}
		Registered removed;
		synchronized (this) {
			removed = this.registered.remove(name);
			if (removed == null) {
				return CompletableFuture.completedFuture(false);
			}
			if (this.beans instanceof org.springframework.beans.factory.support.DefaultSingletonBeanRegistry registry) {
				registry.destroySingleton(name);
			}
		}
		ManagedConnection connection = removed.connection();
		this.listeners.orderedStream().forEach((listener) -> listener.unregistered(connection));
		removeCircuitBreaker(connection);
		return connection.disconnect()
			.handle((done, error) -> null)
			.thenCompose((ignored) -> connection.closeAsync())
			.thenApply((closed) -> true);
	}

	/** Only the breaker made for this connection: one shared by name is left alone. */
	private void removeCircuitBreaker(ManagedConnection connection) {
		CircuitBreaker breaker = connection.circuitBreaker();
		if (breaker != null && this.circuitBreakers.registry().find(connection.name()).orElse(null) == breaker) {
			this.circuitBreakers.registry().remove(connection.name());
		}
	}

	/** The names of the registered connections (configured ones are not included). */
	public Set<String> names() {
		return Set.copyOf(this.registered.keySet());
	}

	/** A registered connection, or {@code null}. */
	public ManagedConnection get(String name) {
		Registered entry = this.registered.get(name);
		return (entry != null) ? entry.connection() : null;
	}

	/**
	 * Whether a connection, configured or registered, takes health DOWN while not
	 * connected.
	 */
	public boolean isCritical(String name) {
		Registered entry = this.registered.get(name);
		return (entry != null) ? entry.definition().critical() : this.configured.isCritical(name);
	}

	/**
	 * Whether a connection, configured or registered, connects when the application
	 * starts (or starts again after a stop).
	 */
	public boolean isAutoStartup(String name) {
		Registered entry = this.registered.get(name);
		return (entry != null) ? entry.definition().autoStartup() : this.configured.isAutoStartup(name);
	}

	/** Closes what is still registered when the application context closes. */
	@Override
	public void destroy() {
		Collection<String> names = List.copyOf(this.registered.keySet());
		CompletableFuture<?>[] closing = names.stream().map(this::unregister).toArray(CompletableFuture[]::new);
		try {
			CompletableFuture.allOf(closing).get(30, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			logger.warn("Registered connections still closing on shutdown: " + names, ex);
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private record Registered(ConnectionDefinition definition, ManagedConnection connection) {

	}

	/**
	 * Told of each connection registered or unregistered at run time, e.g. to bind and
	 * remove its meters. Beans of this type are called in order.
	 */
	public interface RegistrationListener {

		void registered(ManagedConnection connection);

		void unregistered(ManagedConnection connection);

	}

}
