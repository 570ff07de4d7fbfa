package io.connectionmanager.core.internal.engine;

import java.util.List;
import java.util.concurrent.Executor;

import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.event.ConnectionListener;
import io.connectionmanager.core.resume.ResumeStore;
import io.connectionmanager.core.runtime.ConnectionExecutor;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.transport.Transport;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import org.springframework.util.backoff.BackOff;

/**
 * Everything one engine is made of, resolved by the builder.
 *
 * @param settings validated settings
 * @param executor the connection's serial executor (its event loop)
 * @param handler the protocol side
 * @param transport opens sessions
 * @param circuitBreaker the breaker, or {@code null} when disabled
 * @param backOff reconnect delays
 * @param listeners listeners known at build time
 * @param resumeStore where positions are kept, or {@code null} when resume is disabled
 * @param handlerExecutor the pool that runs handler and listener callbacks
 * @param runtime the shared runtime (connect permits, logging), or {@code null} for a
 * connection on an executor of its own
 */
public record EngineParts(ConnectionSettings settings, ConnectionExecutor executor, ConnectionHandler handler,
		Transport transport, CircuitBreaker circuitBreaker, BackOff backOff, List<ConnectionListener> listeners,
		ResumeStore resumeStore, Executor handlerExecutor, ConnectionRuntime runtime) {

	/** Builds the engine. */
	public ConnectionEngine build() {
		return new ConnectionEngine(this);
	}

	ConnectPermits permits() {
		return (this.runtime != null) ? ConnectPermits.of(this.runtime) : ConnectPermits.unbounded();
	}

	OutageSummary outageSummary() {
		return (this.runtime != null) ? OutageSummary.of(this.runtime)
				: new OutageSummary(ConnectionRuntime.Builder.DEFAULT_OUTAGE_SUMMARY_INTERVAL);
	}

}
