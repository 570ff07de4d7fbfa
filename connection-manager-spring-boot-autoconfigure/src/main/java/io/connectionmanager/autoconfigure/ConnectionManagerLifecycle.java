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
 * does not wait for remote servers). On stop, every connection closes gracefully
 * (WebSocket 1001 "going away") in parallel, bounded by the longest
 * {@code shutdown-timeout}.
 * <p>
 * The phase is below the web server's, so connections are up before the server takes
 * traffic and are closed only after in-flight requests (which may still send) have
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

	private volatile boolean running;

	public ConnectionManagerLifecycle(ObjectProvider<ManagedConnection> connections,
			ConnectionDefinitions definitions) {
		this.connections = connections;
		this.definitions = definitions;
	}

	@Override
	public void start() {
		this.connections.orderedStream().forEach((connection) -> {
			if (connection.isClosed()) {
				logger.warn("Connection '" + connection.name() + "' was closed when the context stopped; a closed "
						+ "connection does not start again");
			}
			else if (this.definitions.isAutoStartup(connection.name())) {
				connection.connect();
			}
		});
		this.running = true;
	}

	/**
	 * Closes every connection in parallel (each bounded by its own shutdown-timeout) and
	 * waits for all.
	 */
	@Override
	public void stop() {
		this.running = false;
		List<ManagedConnection> all = this.connections.orderedStream().toList();
		CompletableFuture<?>[] closing = all.stream()
			.map(ConnectionManagerLifecycle::closeQuietly)
			.toArray(CompletableFuture[]::new);
		Duration bound = all.stream()
			.map((connection) -> connection.settings().shutdownTimeout())
			.max(Duration::compareTo)
			.orElse(Duration.ZERO)
			.plus(STOP_MARGIN);
		try {
			CompletableFuture.allOf(closing).get(bound.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			logger.warn("Connections still closing after " + bound + "; leaving them to finish in the background");
		}
		catch (ExecutionException ex) {
			logger.warn("A connection failed to close cleanly", ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Closing never fails the stop of the context: failures are logged. */
	private static CompletableFuture<Void> closeQuietly(ManagedConnection connection) {
		return connection.closeAsync().exceptionally((error) -> {
			logger.warn("Connection '" + connection.name() + "' failed to close cleanly", error);
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
