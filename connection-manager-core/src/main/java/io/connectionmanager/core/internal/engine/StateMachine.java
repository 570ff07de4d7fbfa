package io.connectionmanager.core.internal.engine;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

import io.connectionmanager.core.event.StateChange;
import io.connectionmanager.core.failure.Failure;
import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.core.internal.state.Transition;
import io.connectionmanager.core.internal.state.TransitionTable;
import io.connectionmanager.core.resume.StreamPosition;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.state.Trigger;
import io.connectionmanager.core.transport.TransportSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.backoff.BackOffExecution;

import static io.connectionmanager.core.state.ConnectionState.*;
import static io.connectionmanager.core.state.Trigger.*;

/**
 * Drives one connection through the {@link TransitionTable}, the single source of truth
 * for what each trigger does in each state, and runs the entry and exit actions of each
 * state on the {@link Collaborators}. Runs on the connection's event loop only, so no
 * locks: a transition runs to completion and a trigger raised during one is queued behind
 * it. What other threads read is published through volatile fields, the state and its
 * session as one {@link Link}.
 */
final class StateMachine {

	private static final Log logger = LogFactory.getLog(StateMachine.class);

	private static final TransitionTable TABLE = TransitionTable.standard();

	static final int NORMAL_CLOSURE = 1000;

	private final Collaborators c;

	// Usually empty: start small (the default capacity, 16, is 88 bytes per connection).
	private final ArrayDeque<Pending> pending = new ArrayDeque<>(2);

	private boolean transitioning;

	private int closeCode = NORMAL_CLOSURE;

	private CompletableFuture<Void> lastClose = CompletableFuture.completedFuture(null);

	private volatile Link link = new Link(DISCONNECTED, null);

	private volatile Instant since;

	private volatile Failure lastFailure;

	StateMachine(Collaborators collaborators) {
		this.c = collaborators;
		this.since = collaborators.executor().clock().instant();
	}

	/** The state and the session that goes with it, published together. */
	record Link(ConnectionState state, TransportSession session) {
	}

	Link link() {
		return this.link;
	}

	ConnectionState state() {
		return this.link.state();
	}

	Instant since() {
		return this.since;
	}

	Failure lastFailure() {
		return this.lastFailure;
	}

	/** A trigger raised by the application (connect, reconnect); on the event loop. */
	void request(Trigger trigger) {
		this.closeCode = NORMAL_CLOSURE;
		fire(trigger, null);
	}

	/** Disconnects with {@code code}; on the event loop. Returns the close under way. */
	CompletableFuture<Void> disconnect(int code, Trigger trigger) {
		this.closeCode = code;
		this.lastClose = CompletableFuture.completedFuture(null);
		fire(trigger, null);
		return this.lastClose;
	}

	/** The attempt in progress opened its transport session. */
	void opened(TransportSession session) {
		this.link = new Link(CONNECTING, session);
		fire(TRANSPORT_OPENED, null);
	}

	/**
	 * A rotation's standby takes over while CONNECTED: its attempt becomes the current
	 * one and its session is published; the heartbeat moves to it. Returns the old
	 * session, for the caller to close.
	 */
	TransportSession takeOver(long attempt, TransportSession next) {
		TransportSession old = this.link.session();
		this.c.attempts().adopt(attempt);
		this.link = new Link(CONNECTED, next);
		if (this.c.delivery().isReadingPaused()) {
			next.setReadable(false);
		}
		this.c.heartbeat().stop();
		this.c.heartbeat().start(() -> ping(next));
		return old;
	}

	/**
	 * A failure of the attempt in progress: recorded on the breaker, then routed by its
	 * class.
	 */
	void attemptFailed(Failure failure, Trigger retryable) {
		if (!failure.fatal() && this.c.endpoints().failedTryNext()) {
			// Another endpoint of this round is tried at once; only a failed round counts
			// for the breaker (its permit is released on leaving) and the backoff.
			this.c.schedule().immediately();
		}
		else {
			this.c.breaker().failed(failure);
		}
		fire(failure.fatal() ? FATAL_FAILURE : retryable, failure);
	}

	void fire(Trigger trigger, Failure cause) {
		if (this.transitioning) {
			this.pending.add(new Pending(trigger, cause));
			return;
		}
		this.transitioning = true;
		try {
			apply(trigger, cause);
			Pending next;
			while ((next = this.pending.poll()) != null) {
				apply(next.trigger(), next.cause());
			}
		}
		finally {
			this.transitioning = false;
		}
	}

	private void apply(Trigger trigger, Failure cause) {
		ConnectionState from = this.link.state();
		Transition transition = TABLE.lookup(from, trigger);
		switch (transition.kind()) {
			case REJECT -> {
				if (logger.isDebugEnabled()) {
					logger.debug("Connection '" + this.c.name() + "' ignored " + trigger + " in " + from);
				}
			}
			case STAY -> {
				if (trigger == CIRCUIT_OPENED) {
					Duration wait = this.c.breaker().untilProbe();
					this.c.log().breakerOpen(wait);
					this.c.schedule().retryAfter(wait, this::probeIfHalfOpen);
				}
			}
			case MOVE -> move(from, transition.target(), trigger, cause);
		}
	}

	private void move(ConnectionState from, ConnectionState to, Trigger trigger, Failure cause) {
		leave(from, to, trigger, cause);
		if (cause != null) {
			this.lastFailure = cause;
		}
		boolean requested = trigger == CONNECT_REQUESTED || trigger == RECONNECT_REQUESTED;
		ReconnectSchedule schedule = this.c.schedule();
		if (requested) {
			schedule.restart();
		}
		long delay = (to == RECONNECTING) ? schedule.nextDelayMillis() : -1;
		if (to == CONNECTING) {
			schedule.attemptStarting();
		}
		Instant now = this.c.executor().clock().instant();
		this.since = now;
		if (from == CONNECTED && to != CONNECTED) {
			this.c.endpoints().sessionLost();
		}
		StateChange change = new StateChange(this.c.name(), from, to, trigger, cause, schedule.attempt(), now,
				(delay >= 0) ? Duration.ofMillis(delay) : null, this.c.endpoints().currentLabel());
		this.c.log().transitioned(change);
		this.c.reporter().stateChanged(change);
		switch (to) {
			case CONNECTING -> startAttempt(requested);
			case AUTHENTICATING -> startAuthentication();
			case CONNECTED -> connected();
			case RECONNECTING -> retryAfter(delay);
			case DISCONNECTED, FATAL -> {
			}
		}
	}

	/**
	 * Exit actions: timers of the state being left stop. While an attempt carries on
	 * (CONNECTING -> AUTHENTICATING -> CONNECTED) its session and breaker permit carry on
	 * with it; otherwise the session is closed (gracefully when the application asked for
	 * it or the failure is fatal; dropped when it is presumed dead) and an unsettled
	 * permit is released. The new state and its session are published in one write.
	 */
	private void leave(ConnectionState from, ConnectionState to, Trigger trigger, Failure cause) {
		this.c.schedule().cancelTimers();
		this.c.rotation().stop();
		if (cause != null || to == DISCONNECTED || to == FATAL) {
			this.c.rotation().abandoned();
		}
		this.c.heartbeat().stop();
		this.c.silence().stop();
		// Timers, a pending open and the connect permit; the attempt's number stays, so a
		// continuing attempt's callbacks still count.
		this.c.attempts().abandon();
		TransportSession session = this.link.session();
		boolean keepSession = to.hasSession() && from != to;
		if (!keepSession && (from == CONNECTING || from == AUTHENTICATING)) {
			this.c.breaker().abandoned();
		}
		this.link = new Link(to, keepSession ? session : null);
		if (from.hasSession() && !keepSession) {
			this.c.sessions().end(cause);
		}
		if (session != null && !keepSession) {
			CompletableFuture<Void> closing = SessionEnding.end(session, to, trigger, cause, this.closeCode);
			if (closing != null) {
				this.lastClose = closing;
			}
		}
		if ((to == DISCONNECTED || to == FATAL) && from != to) {
			int discarded = this.c.outbound().discard((to == FATAL) ? "failed fatally" : "was disconnected");
			if (discarded > 0) {
				logger.warn("Connection '" + this.c.name() + "' " + to + ": " + discarded
						+ " buffered messages were not sent; their senders' futures failed");
			}
			if (this.c.resume() != null) {
				this.c.resume().flush();
			}
		}
	}

	// ---- Entry actions ----

	private void startAttempt(boolean requestedByApplication) {
		if (requestedByApplication) {
			this.c.breaker().acquireOverridingOpenState();
		}
		this.c.breaker().callStarted();
		URI endpoint = this.c.endpoints().current();
		this.c.attempts().start(() -> this.c.connectRequests().make(resumePosition(), endpoint));
	}

	private void startAuthentication() {
		long attempt = this.c.attempts().current();
		Duration timeout = this.c.settings().authenticationTimeout();
		this.c.attempts().time(() -> {
			if (isCurrent(attempt, AUTHENTICATING)) {
				attemptFailed(
						this.c.classifier()
							.of(FailureKind.AUTH_TIMEOUT, "authentication not completed within " + timeout),
						AUTH_FAILED);
			}
		}, timeout);
		this.c.sessions().begin(attempt, this.c.schedule().attempt());
	}

	private void connected() {
		this.c.breaker().succeeded();
		long attempt = this.c.attempts().current();
		this.c.schedule().connected(() -> {
			if (isCurrent(attempt, CONNECTED)) {
				this.c.schedule().stable();
			}
		});
		TransportSession session = this.link.session();
		this.c.heartbeat().start(() -> ping(session));
		this.c.silence().start();
		this.c.sessions().connected();
		this.c.endpoints().connected();
		this.c.rotation().connected();
	}

	private void retryAfter(long delayMillis) {
		if (delayMillis == BackOffExecution.STOP) {
			fire(RETRIES_EXHAUSTED,
					this.c.classifier()
						.of(FailureKind.RETRIES_EXHAUSTED,
								"gave up after " + this.c.settings().reconnect().maxAttempts() + " attempts"));
			return;
		}
		this.c.schedule().retryAfter(Duration.ofMillis(delayMillis), () -> {
			if (state() == RECONNECTING) {
				fire(this.c.breaker().tryAcquire() ? BACKOFF_ELAPSED : CIRCUIT_OPENED, null);
			}
		});
	}

	private void probeIfHalfOpen() {
		if (state() == RECONNECTING) {
			fire(this.c.breaker().tryAcquire() ? CIRCUIT_HALF_OPEN : CIRCUIT_OPENED, null);
		}
	}

	private boolean ping(TransportSession session) {
		if (this.c.applicationHeartbeat() != null) {
			session.send(this.c.applicationHeartbeat().ping());
			return true;
		}
		return session.ping(new byte[0]);
	}

	/**
	 * Whether {@code attempt} is the latest and the connection is in {@code expected}.
	 */
	boolean isCurrent(long attempt, ConnectionState expected) {
		return attempt == this.c.attempts().current() && state() == expected;
	}

	StreamPosition resumePosition() {
		return (this.c.resume() != null) ? this.c.resume().resumeFrom() : null;
	}

	private record Pending(Trigger trigger, Failure cause) {
	}

}
