package io.connectionmanager.core.internal.engine;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.connectionmanager.core.runtime.ConnectionExecutor;
import io.connectionmanager.core.transport.Transport;
import io.connectionmanager.core.transport.TransportSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Stopping and closing, each bounded by {@code shutdown-timeout}: a 1001 close frame,
 * then the handler finishes what was already received and the listeners what was already
 * reported, then the resume position is saved. Stopping leaves the connection able to
 * connect again; closing also releases the transport for good.
 */
public final class ShutdownSequence {

	private static final Log logger = LogFactory.getLog(ShutdownSequence.class);

	private static final int GOING_AWAY = 1001;

	private static final Duration POLL = Duration.ofMillis(10);

	private final ConnectionEngine engine;

	private final ConnectionExecutor executor;

	private final Transport transport;

	private final Duration timeout;

	public ShutdownSequence(ConnectionEngine engine, ConnectionExecutor executor, Transport transport,
			Duration timeout) {
		this.engine = engine;
		this.executor = executor;
		this.transport = transport;
		this.timeout = timeout;
	}

	/**
	 * Disconnects with 1001 and waits (bounded) for the handler; never blocks the caller.
	 */
	public CompletableFuture<Void> stop() {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		return this.engine.disconnect(GOING_AWAY)
			.completeOnTimeout(null, this.timeout.toMillis(), TimeUnit.MILLISECONDS)
			.thenCompose((ignored) -> idle(deadline))
			// The position is written by a background writer: wait for it, or an orderly
			// exit
			// could end the process before it is on disk.
			.thenCompose((ignored) -> this.engine.flushResumeAsync()
				.completeOnTimeout(null, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
	}

	/** {@link #stop()}, then releases the transport and {@code owned}. */
	public CompletableFuture<Void> close(AutoCloseable owned) {
		return stop().whenComplete((ignored, error) -> release(owned));
	}

	private CompletableFuture<Void> idle(long deadline) {
		CompletableFuture<Void> idle = new CompletableFuture<>();
		pollIdle(idle, deadline);
		return idle;
	}

	private void pollIdle(CompletableFuture<Void> idle, long deadline) {
		if (this.engine.isIdle() || System.nanoTime() - deadline >= 0) {
			idle.complete(null);
			return;
		}
		this.executor.schedule(() -> pollIdle(idle, deadline), POLL);
	}

	private void release(AutoCloseable owned) {
		String name = this.engine.name();
		TransportSession session = this.engine.session();
		if (session != null) {
			logger.warn("Connection '" + name + "' did not close within " + this.timeout + "; dropping it");
			session.abort();
		}
		int unhandled = this.engine.unhandledMessages();
		if (unhandled > 0) {
			logger.warn("Connection '" + name + "' closed with " + unhandled
					+ " received messages not yet handled; they were not marked delivered and will be replayed");
		}
		this.engine.flushResume();
		this.transport.close();
		if (owned != null) {
			try {
				owned.close();
			}
			catch (Exception ex) {
				logger.warn("Failed to release resources of connection '" + name + "'", ex);
			}
		}
	}

}
