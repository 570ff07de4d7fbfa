package io.connectionmanager.core.internal.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;

import io.connectionmanager.core.runtime.ConnectionExecutor;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * During an outage, one WARN line at most every interval that lists the connections still
 * down (one summary per runtime, i.e. per application, so that 10,000 connections of one
 * failing upstream make one line, not 10,000). The timer runs on the executor of a
 * connection that is down and stops when none is.
 */
final class OutageSummary {

	private static final Log logger = LogFactory.getLog("io.connectionmanager.core.ManagedConnection");

	private static final int NAMES_SHOWN = 10;

	private static final Map<Object, OutageSummary> BY_RUNTIME = new WeakHashMap<>();

	private final Set<TransitionLog> down = ConcurrentHashMap.newKeySet();

	private final Duration interval;

	private boolean scheduled;

	OutageSummary(Duration interval) {
		this.interval = interval;
	}

	/** The summary shared by every connection of {@code runtime}. */
	static OutageSummary of(ConnectionRuntime runtime) {
		synchronized (BY_RUNTIME) {
			return BY_RUNTIME.computeIfAbsent(runtime, (key) -> new OutageSummary(runtime.outageSummaryInterval()));
		}
	}

	void down(TransitionLog connection, ConnectionExecutor executor) {
		this.down.add(connection);
		synchronized (this) {
			if (this.scheduled) {
				return;
			}
			this.scheduled = true;
		}
		scheduleOn(executor);
	}

	void up(TransitionLog connection) {
		this.down.remove(connection);
	}

	private void scheduleOn(ConnectionExecutor executor) {
		try {
			executor.schedule(() -> report(executor), this.interval);
		}
		catch (RejectedExecutionException ex) {
			// That connection's runtime is shutting down; the next outage starts a new
			// timer.
			synchronized (this) {
				this.scheduled = false;
			}
		}
	}

	private void report(ConnectionExecutor executor) {
		List<String> lines = new ArrayList<>();
		for (TransitionLog connection : this.down) {
			TransitionLog.Outage outage = connection.outage();
			if (outage != null && lines.size() < NAMES_SHOWN) {
				double seconds = (executor.nanoTime() - outage.startedNanos()) / 1e9;
				lines.add(connection.connection() + " (down " + String.format("%.1f", seconds) + " s: " + outage.cause()
						+ ")");
			}
		}
		int count = this.down.size();
		if (count == 0) {
			synchronized (this) {
				this.scheduled = false;
			}
			// A connection that went down meanwhile saw the timer still scheduled: check
			// again.
			if (!this.down.isEmpty()) {
				down(this.down.iterator().next(), executor);
			}
			return;
		}
		logger.warn(count + " connection(s) still down: " + String.join(", ", lines)
				+ ((count > lines.size()) ? " and " + (count - lines.size()) + " more" : ""));
		scheduleOn(executor);
	}

}
