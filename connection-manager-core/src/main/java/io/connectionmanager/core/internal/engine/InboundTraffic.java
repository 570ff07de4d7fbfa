package io.connectionmanager.core.internal.engine;

import io.connectionmanager.core.handler.ApplicationHeartbeat;
import io.connectionmanager.core.internal.heartbeat.HeartbeatMonitor;
import io.connectionmanager.core.internal.inbound.SilenceWatchdog;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.transport.Message;

/**
 * What arrives from the current attempt's transport, sorted on the event loop: every sign
 * of life feeds the heartbeat; application pongs are consumed here (the heartbeat must
 * not wait for a slow handler); the rest is data, which feeds the silence watchdog and
 * queues for the handler lane. Anything from an abandoned attempt is dropped.
 */
final class InboundTraffic {

	private final ConnectionEngine engine;

	private final HeartbeatMonitor heartbeat;

	private final SilenceWatchdog silence;

	private final DeliveryPipeline delivery;

	private final Sessions sessions;

	private final ApplicationHeartbeat applicationHeartbeat;

	private final CallbackFailures failures;

	private final Rotation rotation;

	InboundTraffic(ConnectionEngine engine, HeartbeatMonitor heartbeat, SilenceWatchdog silence,
			DeliveryPipeline delivery, Sessions sessions, ApplicationHeartbeat applicationHeartbeat,
			CallbackFailures failures, Rotation rotation) {
		this.engine = engine;
		this.heartbeat = heartbeat;
		this.silence = silence;
		this.delivery = delivery;
		this.sessions = sessions;
		this.applicationHeartbeat = applicationHeartbeat;
		this.failures = failures;
		this.rotation = rotation;
	}

	void received(long attempt, Message message) {
		if (!this.engine.signals().isCurrentAttempt(attempt)) {
			AttemptSession standby = this.rotation.standbySession(attempt);
			if (standby != null) {
				// Routed on the lane like any authenticating session's messages.
				this.delivery.received(attempt, message, standby);
			}
			return;
		}
		this.heartbeat.onInbound();
		ConnectionState now = this.engine.state();
		if (now == ConnectionState.CONNECTED) {
			if (isPong(message)) {
				this.heartbeat.onPong();
				return;
			}
			this.silence.onData();
			this.delivery.received(attempt, message, this.sessions.current());
		}
		else if (now == ConnectionState.AUTHENTICATING) {
			// Routed on the lane, behind authenticate(): by then the handler may have
			// succeeded.
			this.delivery.received(attempt, message, this.sessions.current());
		}
	}

	void pong(long attempt) {
		if (this.engine.signals().isCurrentAttempt(attempt)) {
			this.heartbeat.onPong();
		}
	}

	void pinged(long attempt) {
		if (this.engine.signals().isCurrentAttempt(attempt)) {
			this.heartbeat.onInbound();
		}
	}

	private boolean isPong(Message message) {
		try {
			return this.applicationHeartbeat != null && this.applicationHeartbeat.isPong(message);
		}
		catch (RuntimeException ex) {
			this.failures.record("isPong", ex);
			return false;
		}
	}

}
