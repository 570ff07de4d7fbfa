package io.connectionmanager.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.connectionmanager.core.ManagedConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Starts and stops every {@link ManagedConnection} bean with the application context. On
 * start, connections whose {@code auto-startup} is true connect (asynchronously: start-up
 * does not wait for remote servers), except exclusive ones ({@code cluster.mode:
 * exclusive}), which the {@link ConnectionRoles} bean connects once this replica holds
 * their role; without such a bean, an exclusive connection stops start-up. On stop, every
 * connection stops gracefully ({@link ManagedConnection#stopAsync()}: WebSocket 1001
 * "going away", the handler finishes what was received, the resume position is saved) in
 * parallel, bounded by the longest {@code shutdown-timeout}. A stopped connection is
 * DISCONNECTED and connects again on the next start; only closing the context closes
 * connections for good (each bean's destroy method).
 * <p>
 * The phase is below the web server's, so connections are up before the server takes
 * traffic and are stopped only after in-flight requests (which may still send) have
 * drained.
 */
public class ConnectionManagerLifecycle implements SmartLifecycle {

	/**
	 * Starts before, and stops after, the embedded web server
	 * ({@code DEFAULT_PHASE - 2048}).
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private static final Duration STOP_MARGIN = Duration.ofSeconds(1);

	private static final Log logger = LogFactory.getLog(ConnectionManagerLifecycle.class);

	private final ObjectProvider<ManagedConnection> connections;

	private final ConnectionDefinitions definitions;

	private final ObjectProvider<ConnectionRoles> roles;

	private final ObjectProvider<ConnectionRegistry> registry;

	private volatile boolean running;

	public ConnectionManagerLifecycle(ObjectProvider<ManagedConnection> connections,
			ConnectionDefinitions definitions) {
		this(connections, definitions, null);
	}

	/**
	 * @param connections the connections to start and stop
	 * @param definitions what was configured
	 * @param roles leadership of exclusive connections, or {@code null} for none
	 */
	public ConnectionManagerLifecycle(ObjectProvider<ManagedConnection> connections, ConnectionDefinitions definitions,
			ObjectProvider<ConnectionRoles> roles) {
		this(connections, definitions, roles, null);
	}

	/**
	 * @param connections the connections to start and stop
	 * @param definitions what was configured
	 * @param roles leadership of exclusive connections, or {@code null} for none
	 * @param registry the connections registered at run time (whose own
	 * {@code auto-startup} applies on every start), or {@code null} for none
	 */
	public ConnectionManagerLifecycle(ObjectProvider<ManagedConnection> connections, ConnectionDefinitions definitions,
			ObjectProvider<ConnectionRoles> roles, ObjectProvider<ConnectionRegistry> registry) {
		this.connections = connections;
		this.definitions = definitions;
		this.roles = roles;
		this.registry = registry;
	}

	@Override
	public void start() {
		List<String> exclusive = this.definitions.all()
			.stream()
			.filter((definition) -> definition.cluster().exclusive())
			.map(ConnectionDefinition::name)
			.toList();
		if (!exclusive.isEmpty() && (this.roles == null || this.roles.getIfAvailable() == null)) {
			throw new ExclusiveModeUnavailableException(exclusive, "nothing elects the replica that holds them",
					"Add the io.connectionmanager:connection-manager-cluster dependency and a Spring Integration"
							+ " LockRegistry bean (RedisLockRegistry with spring-integration-redis and Spring Data"
							+ " Redis, or JdbcLockRegistry with spring-integration-jdbc and a DataSource), or set"
							+ " cluster.mode: everywhere.");
		}
		this.connections.orderedStream().forEach((connection) -> {
			if (exclusive.contains(connection.name())) {
				return; // connected by the ConnectionRoles bean while this replica holds
						// the role
			}
			if (connection.isClosed()) {
				logger.warn("Connection '" + connection.name() + "' was closed by the application; a closed "
						+ "connection does not start again");
			}
			else if (isAutoStartup(connection.name())) {
				connection.connect();
			}
		});
		this.running = true;
	}

	private boolean isAutoStartup(String name) {
		ConnectionRegistry available = (this.registry != null) ? this.registry.getIfAvailable() : null;
		return (available != null) ? available.isAutoStartup(name) : this.definitions.isAutoStartup(name);
	}

	/**
	 * Stops every connection in parallel (each bounded by its own shutdown-timeout) and
	 * waits for all.
	 */
	@Override
	public void stop() {
		this.running = false;
		List<ManagedConnection> open = this.connections.orderedStream()
			.filter((connection) -> !connection.isClosed())
			.toList();
		CompletableFuture<?>[] stopping = open.stream()
			.map(ConnectionManagerLifecycle::stopQuietly)
			.toArray(CompletableFuture[]::new);
		Duration bound = open.stream()
			.map((connection) -> connection.settings().shutdownTimeout())
			.max(Duration::compareTo)
			.orElse(Duration.ZERO)
			.plus(STOP_MARGIN);
		try {
			CompletableFuture.allOf(stopping).get(bound.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			logger.warn("Connections still stopping after " + bound + "; leaving them to finish in the background");
		}
		catch (ExecutionException ex) {
			logger.warn("A connection failed to stop cleanly", ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Stopping never fails the stop of the context: failures are logged. */
	private static CompletableFuture<Void> stopQuietly(ManagedConnection connection) {
		return connection.stopAsync().exceptionally((error) -> {
			logger.warn("Connection '" + connection.name() + "' failed to stop cleanly", error);
			return null;
		});
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
