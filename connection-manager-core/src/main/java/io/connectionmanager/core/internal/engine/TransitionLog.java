package io.connectionmanager.core.internal.engine;

import java.time.Duration;
import java.util.function.LongSupplier;

import io.connectionmanager.core.event.StateChange;
import io.connectionmanager.core.failure.Failure;
import io.connectionmanager.core.runtime.ConnectionExecutor;
import io.connectionmanager.core.state.ConnectionState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * What an operator reads, at any scale: the way up (CONNECTING, AUTHENTICATING, each
 * retry) at DEBUG; CONNECTED at INFO; one WARN when a connection goes down, with the
 * cause and the next attempt; one INFO on recovery with the outage's length and attempt
 * count; meanwhile the {@link OutageSummary} lists what is still down. Expected network
 * failures are described in one line, never with a stack trace. Confined to the
 * connection's executor.
 */
final class TransitionLog {

	private static final Log logger = LogFactory.getLog("io.connectionmanager.core.ManagedConnection");

	private final String connection;

	private final ConnectionExecutor executor;

	private final LongSupplier totalAttempts;

	private final OutageSummary summary;

	private Outage outage;

	TransitionLog(String connection, ConnectionExecutor executor, LongSupplier totalAttempts, OutageSummary summary) {
		this.connection = connection;
		this.executor = executor;
		this.totalAttempts = totalAttempts;
		this.summary = summary;
	}

	void transitioned(StateChange change) {
		ConnectionState to = change.current();
		switch (to) {
			case CONNECTED -> connected();
			case RECONNECTING -> reconnecting(change);
			case FATAL -> {
				endOutage();
				logger.error("Connection '" + this.connection + "' is FATAL: " + describe(change.cause())
						+ ". It will not retry until connect() or reconnect() is called.");
			}
			case DISCONNECTED -> {
				endOutage();
				logger.info("Connection '" + this.connection + "' DISCONNECTED (" + change.trigger() + ")");
			}
			default -> debug(change);
		}
	}

	void breakerOpen(Duration untilProbe) {
		if (logger.isDebugEnabled()) {
			logger.debug("Connection '" + this.connection + "': circuit breaker open, next probe in " + untilProbe);
		}
	}

	/** The outage under way, or {@code null}; read by the summary on another thread. */
	Outage outage() {
		return this.outage;
	}

	String connection() {
		return this.connection;
	}

	private void connected() {
		Outage ended = this.outage;
		endOutage();
		if (ended == null) {
			logger.info("Connection '" + this.connection + "' CONNECTED");
			return;
		}
		Duration length = Duration.ofNanos(this.executor.nanoTime() - ended.startedNanos());
		long attempts = this.totalAttempts.getAsLong() - ended.attemptsBefore();
		logger.info("Connection '" + this.connection + "' CONNECTED again after an outage of " + length.toMillis()
				+ " ms and " + attempts + " attempts (it went down on: " + ended.cause() + ")");
	}

	private void reconnecting(StateChange change) {
		String next = (change.retryIn() != null) ? "next attempt in " + change.retryIn().toMillis() + " ms"
				: "no further attempt";
		if (this.outage == null) {
			this.outage = new Outage(this.executor.nanoTime(), this.totalAttempts.getAsLong(),
					describe(change.cause()));
			this.summary.down(this, this.executor);
			logger.warn("Connection '" + this.connection + "' is down after " + change.previous() + ": "
					+ describe(change.cause()) + "; " + next);
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Connection '" + this.connection + "' attempt " + change.attempt() + " failed: "
					+ describe(change.cause()) + "; " + next);
		}
	}

	private void debug(StateChange change) {
		if (logger.isDebugEnabled()) {
			logger.debug("Connection '" + this.connection + "' " + change.previous() + " -> " + change.current()
					+ " on " + change.trigger() + " (attempt " + change.attempt() + ")");
		}
	}

	private void endOutage() {
		if (this.outage != null) {
			this.outage = null;
			this.summary.up(this);
		}
	}

	private static String describe(Failure cause) {
		return (cause != null) ? cause.describe() : "no failure recorded";
	}

	/** One outage of one connection. */
	record Outage(long startedNanos, long attemptsBefore, String cause) {
	}

}
