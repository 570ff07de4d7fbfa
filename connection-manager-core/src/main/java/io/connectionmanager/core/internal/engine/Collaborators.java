package io.connectionmanager.core.internal.engine;

import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.handler.ApplicationHeartbeat;
import io.connectionmanager.core.internal.failure.FailureClassifier;
import io.connectionmanager.core.internal.heartbeat.HeartbeatMonitor;
import io.connectionmanager.core.internal.inbound.SilenceWatchdog;
import io.connectionmanager.core.internal.resume.ResumeTracker;
import io.connectionmanager.core.runtime.ConnectionExecutor;

/**
 * The collaborators of one connection's engine, wired once by {@link ConnectionEngine}
 * and shared by the parts that drive them: the {@link StateMachine} (what each state
 * does) and the {@link AttemptSignals} (what each outcome of an attempt means).
 *
 * @param settings validated settings
 * @param executor the connection's event loop
 * @param applicationHeartbeat the handler's ping and pong, or {@code null} for protocol
 * pings
 * @param classifier turns errors into failures
 * @param resume the resume tracker, or {@code null} when resume is off
 * @param attempts the attempt in progress
 * @param breaker the circuit breaker's permits
 * @param schedule reconnect delays and timers
 * @param heartbeat pings while CONNECTED
 * @param silence the data-silence watchdog
 * @param delivery the inbound queue to the handler
 * @param outbound the outbound queue to the transport
 * @param sessions the handler's view of each session
 * @param connectRequests the per-attempt connect request hook
 * @param serverDelay delays the server asks for
 * @param reporter listener events
 * @param log transition logging
 * @param rotation gapless rotation before a server's age limit
 * @param endpoints which of the connection's URLs the next attempt goes to
 */
record Collaborators(ConnectionSettings settings, ConnectionExecutor executor,
		ApplicationHeartbeat applicationHeartbeat, FailureClassifier classifier, ResumeTracker resume,
		Attempts attempts, BreakerGate breaker, ReconnectSchedule schedule, HeartbeatMonitor heartbeat,
		SilenceWatchdog silence, DeliveryPipeline delivery, OutboundPath outbound, Sessions sessions,
		ConnectRequests connectRequests, ServerDelay serverDelay, EventReporter reporter, TransitionLog log,
		Rotation rotation, Endpoints endpoints) {

	String name() {
		return this.settings.name();
	}

}
