package io.connectionmanager.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.connectionmanager.core.ManagedConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Starts and stops every {@link ManagedConnection} bean with the application context. On start, connections whose
 * {@code auto-startup} is true connect (asynchronously: start-up does not wait for remote servers). On stop, every
 * connection closes gracefully (WebSocket 1001 "going away") in parallel, bounded by the longest
 * {@code shutdown-timeout}.
 * <p>
 * The phase is below the web server's, so connections are up before the server takes traffic and are closed only
 * after in-flight requests (which may still send) have drained.
 */
public class ConnectionManagerLifecycle implements SmartLifecycle {

	/** Starts before, and stops after, the embedded web server ({@code DEFAULT_PHASE - 2048}). */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private static final int MAX_CLOSING_THREADS = 32;

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
			if (this.definitions.isAutoStartup(connection.name())) {
				try {
					connection.connect();
				}
				catch (IllegalStateException ex) {
					logger.warn("Connection '" + connection.name() + "' cannot start: " + ex.getMessage());
				}
			}
		});
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		List<ManagedConnection> all = this.connections.orderedStream().toList();
		if (all.isEmpty()) {
			return;
		}
		// close() blocks up to the connection's shutdown-timeout; closing in parallel keeps the whole stop within
		// the longest one instead of their sum.
		ExecutorService closing = Executors.newFixedThreadPool(Math.min(all.size(), MAX_CLOSING_THREADS),
				daemonThreads());
		all.forEach((connection) -> closing.execute(() -> close(connection)));
		closing.shutdown();
		Duration bound = all.stream()
			.map((connection) -> connection.settings().shutdownTimeout())
			.max(Duration::compareTo)
			.orElse(Duration.ZERO)
			.plus(STOP_MARGIN);
		try {
			if (!closing.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS)) {
				logger.warn("Connections still closing after " + bound + "; dropping them");
				closing.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			closing.shutdownNow();
			Thread.currentThread().interrupt();
		}
	}

	private static void close(ManagedConnection connection) {
		try {
			connection.close();
		}
		catch (RuntimeException ex) {
			logger.warn("Connection '" + connection.name() + "' failed to close cleanly", ex);
		}
	}

	private static CustomizableThreadFactory daemonThreads() {
		CustomizableThreadFactory threads = new CustomizableThreadFactory("connection-manager-close-");
		threads.setDaemon(true);
		return threads;
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
