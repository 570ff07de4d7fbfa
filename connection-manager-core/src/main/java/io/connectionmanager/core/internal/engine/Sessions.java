package io.connectionmanager.core.internal.engine;

import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.failure.Failure;
import io.connectionmanager.core.runtime.ConnectionExecutor;

/**
 * The life of each {@link AttemptSession}, in the fixed order a handler relies on: on the
 * lane {@code authenticate}; once authenticated {@code onConnected}, then the
 * subscription replay (both as control messages, ahead of the application queue), and
 * only then, back on the event loop, the application queue opens (buffered messages, then
 * live sends); when the session is lost its sends and requests fail, and after its last
 * message {@code onDisconnected}. The current session is confined to the event loop; the
 * per-session flags to the lane.
 */
final class Sessions {

	private final ConnectionEngine engine;

	private final ConnectionHandler handler;

	private final ConnectionExecutor loop;

	private final DeliveryPipeline delivery;

	private final OutboundPath outbound;

	private final SubscriptionRegistry subscriptions;

	private final CallbackFailures failures;

	private AttemptSession current;

	Sessions(ConnectionEngine engine, ConnectionHandler handler, ConnectionExecutor loop, DeliveryPipeline delivery,
			OutboundPath outbound, SubscriptionRegistry subscriptions, CallbackFailures failures) {
		this.engine = engine;
		this.handler = handler;
		this.loop = loop;
		this.delivery = delivery;
		this.outbound = outbound;
		this.subscriptions = subscriptions;
		this.failures = failures;
	}

	/** The session of the attempt authenticating or CONNECTED, else {@code null}. */
	AttemptSession current() {
		return this.current;
	}

	/** AUTHENTICATING: a new session, whose control messages may flow at once. */
	AttemptSession begin(long attempt, int attemptNumber) {
		AttemptSession session = create(attempt, attemptNumber);
		this.current = session;
		this.outbound.sessionUp(session);
		authenticate(session);
		return session;
	}

	/**
	 * A rotation's standby: authenticated beside the current session, which stays current
	 * until {@link #handOver}.
	 */
	AttemptSession beginStandby(long attempt, int attemptNumber) {
		AttemptSession session = create(attempt, attemptNumber);
		authenticate(session);
		return session;
	}

	/**
	 * The standby takes over from the current session without an outage: the old one ends
	 * without {@code onDisconnected} (the connection never went down), and {@code next}
	 * opens as after any authentication.
	 */
	void handOver(AttemptSession next) {
		AttemptSession old = detach(true);
		if (old != null) {
			old.requests().failAll((key) -> old.ended("no reply to request " + key + " (the session was rotated)"));
		}
		this.current = next;
		this.outbound.sessionUp(next);
		connected();
	}

	private AttemptSession create(long attempt, int attemptNumber) {
		return new AttemptSession(this.engine, attempt, attemptNumber,
				new PendingRequests(this.engine.name(), this.handler, this.loop, this.delivery.lane(), this.failures));
	}

	private void authenticate(AttemptSession session) {
		this.delivery.onLane("authenticate", () -> {
			try {
				this.handler.authenticate(session);
			}
			catch (Throwable ex) {
				this.failures.record("authenticate", ex);
				session.fail("handler threw " + ex);
			}
		});
	}

	/** CONNECTED: the opening runs on the lane (unless a message already started it). */
	void connected() {
		AttemptSession session = this.current;
		this.delivery.onLane("onConnected", () -> open(session));
		openIfReady(session);
	}

	/**
	 * On the lane, once per session, before its first {@code onMessage}:
	 * {@code onConnected}, the replay, then the application queue may open.
	 */
	void open(AttemptSession session) {
		if (!session.markConnected()) {
			return;
		}
		try {
			this.handler.onConnected(session);
		}
		catch (Throwable ex) {
			this.failures.record("onConnected", ex);
		}
		this.subscriptions.replay(session);
		session.opened();
		this.loop.execute(() -> openIfReady(session));
	}

	/** On the event loop: opens the application queue once CONNECTED and opened. */
	private void openIfReady(AttemptSession session) {
		if (session == this.current && !session.isOpening() && this.engine.isConnected()) {
			this.outbound.open(session);
		}
	}

	/** On the event loop: the session is dropped; {@code cause} is why (or null). */
	void end(Failure cause) {
		AttemptSession session = detach(false);
		if (session == null) {
			return;
		}
		session.requests().failAll((key) -> session.ended("no reply to request " + key));
		this.delivery.onLane("onDisconnected", () -> {
			if (session.wasConnected()) {
				this.handler.onDisconnected(cause);
			}
		});
	}

	private AttemptSession detach(boolean replaced) {
		AttemptSession session = this.current;
		if (session != null) {
			this.current = null;
			session.end();
			if (replaced) {
				this.outbound.sessionReplaced(session);
			}
			else {
				this.outbound.sessionLost(session);
			}
			this.subscriptions.ended(session);
		}
		return session;
	}

}
