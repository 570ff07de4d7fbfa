package io.connectionmanager.core.internal.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

import io.connectionmanager.core.handler.ApplicationHeartbeat;
import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.state.ConnectionSnapshot;
import io.connectionmanager.core.handler.Subscriptions;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.event.ConnectionListener;
import io.connectionmanager.core.event.DataSilence;
import io.connectionmanager.core.event.HeartbeatMissed;
import io.connectionmanager.core.event.SequenceGap;
import io.connectionmanager.core.event.StateChange;
import io.connectionmanager.core.failure.Failure;
import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.core.internal.failure.FailureClassifier;
import io.connectionmanager.core.internal.heartbeat.HeartbeatMonitor;
import io.connectionmanager.core.internal.inbound.SilenceWatchdog;
import io.connectionmanager.core.internal.resume.ResumeTracker;
import io.connectionmanager.core.internal.state.Transition;
import io.connectionmanager.core.internal.state.TransitionTable;
import io.connectionmanager.core.config.SilenceSettings;
import io.connectionmanager.core.resume.StreamPosition;
import io.connectionmanager.core.runtime.ConnectionExecutor;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.state.Trigger;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.core.transport.TransportSession;
import io.github.resilience4j.ratelimiter.RateLimiter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.backoff.BackOffExecution;

import static io.connectionmanager.core.state.ConnectionState.AUTHENTICATING;
import static io.connectionmanager.core.state.ConnectionState.CONNECTED;
import static io.connectionmanager.core.state.ConnectionState.CONNECTING;
import static io.connectionmanager.core.state.ConnectionState.DISCONNECTED;
import static io.connectionmanager.core.state.ConnectionState.FATAL;
import static io.connectionmanager.core.state.ConnectionState.RECONNECTING;
import static io.connectionmanager.core.state.Trigger.*;

/**
 * Drives one connection through the {@link TransitionTable}, the single source of truth
 * for what each trigger does in each state; the table's entry and exit actions are
 * delegated to collaborators with one job each ({@link Attempts}, {@link BreakerGate},
 * {@link ReconnectSchedule}, {@link DeliveryPipeline}, {@link OutboundPath},
 * {@link Sessions}, {@link ConnectRequests}, {@link ServerDelay},
 * {@link SilenceWatchdog}, {@link EventReporter}, {@link TransitionLog}).
 * <p>
 * Threading: everything here runs on the connection's executor (its event loop), so no
 * locks; transitions run to completion and a trigger raised during one is queued behind
 * it. What other threads read is published through volatile fields, the state and its
 * session as one {@link Link}.
 */
public final class ConnectionEngine {

	private static final Log logger = LogFactory.getLog(ConnectionEngine.class);

	private static final TransitionTable TABLE = TransitionTable.standard();

	static final int NORMAL_CLOSURE = 1000;

	private final ConnectionSettings settings;

	private final ConnectionExecutor executor;

	private final ConnectionHandler handler;

	private final ApplicationHeartbeat applicationHeartbeat;

	private final FailureClassifier classifier;

	private final ResumeTracker resume;

	private final Attempts attempts;

	private final BreakerGate breaker;

	private final ReconnectSchedule schedule;

	private final HeartbeatMonitor heartbeat;

	private final DeliveryPipeline delivery;

	private final OutboundPath outbound;

	private final EventReporter reporter;

	private final TransitionLog log;

	private final CallbackFailures failures;

	private final SubscriptionRegistry subscriptions;

	private final Sessions sessions;

	private final ConnectRequests connectRequests;

	private final ServerDelay serverDelay;

	private final SilenceWatchdog silence;

	private final InboundTraffic traffic;

	private final ArrayDeque<Pending> pending = new ArrayDeque<>();

	private boolean transitioning;

	private int closeCode = NORMAL_CLOSURE;

	private CompletableFuture<Void> lastClose = CompletableFuture.completedFuture(null);

	private volatile Link link = new Link(DISCONNECTED, null);

	private volatile Instant since;

	private volatile Failure lastFailure;

	ConnectionEngine(EngineParts parts) {
		this.settings = parts.settings();
		this.executor = parts.executor();
		this.handler = parts.handler();
		this.applicationHeartbeat = parts.handler().applicationHeartbeat();
		this.classifier = new FailureClassifier(this.settings.failurePolicy(), this.executor.clock());
		this.resume = (parts.resumeStore() != null) ? new ResumeTracker(name(), parts.resumeStore()) : null;
		this.failures = new CallbackFailures(name());
		this.attempts = new Attempts(this, this.executor, parts.transport(), parts.permits(),
				this.settings.connectTimeout());
		this.breaker = new BreakerGate(parts.circuitBreaker(), this.executor);
		this.schedule = new ReconnectSchedule(parts.backOff(), this.executor, this.settings.reconnect().resetAfter(),
				this.settings.reconnect().maxServerDelay());
		this.heartbeat = new HeartbeatMonitor(this.settings.heartbeat(), this.executor, this::heartbeatMissed);
		this.reporter = new EventReporter(parts.listeners(), parts.handlerExecutor(),
				(failure) -> this.failures.record("a listener", failure));
		SerialLane lane = new SerialLane(parts.handlerExecutor(),
				(failure) -> this.failures.record("handler", failure));
		this.delivery = new DeliveryPipeline(new DeliveryPipeline.Parts(name(), this.handler, this.resume, lane,
				this.executor, this.reporter, this.failures, this::replay, this::openSession), this.settings.inbound(),
				this::setReadable);
		this.outbound = new OutboundPath(name(), this.settings.outbound(), () -> this.link, this.heartbeat,
				this.executor);
		this.subscriptions = new SubscriptionRegistry(name(), lane, this.executor.clock(),
				this.reporter::subscriptionFailed);
		this.sessions = new Sessions(this, this.handler, this.executor, this.delivery, this.outbound,
				this.subscriptions, this.failures);
		this.connectRequests = new ConnectRequests(this.settings, this.handler, parts.handlerExecutor(),
				this.executor.clock());
		this.serverDelay = new ServerDelay(this.handler, this.executor.clock(), this.failures);
		this.silence = new SilenceWatchdog(this.settings.inbound().silence(), this.executor, this::dataSilence);
		this.traffic = new InboundTraffic(this, this.heartbeat, this.silence, this.delivery, this.sessions,
				this.applicationHeartbeat, this.failures);
		this.log = new TransitionLog(name(), this.executor, this.schedule::totalAttempts, parts.outageSummary());
		this.since = this.executor.clock().instant();
	}

	/** The state and the session that goes with it, published together. */
	record Link(ConnectionState state, TransportSession session) {
	}

	public String name() {
		return this.settings.name();
	}

	public ConnectionState state() {
		return this.link.state();
	}

	/** Posts a trigger raised by the application (connect, reconnect) to the executor. */
	public void request(Trigger trigger) {
		this.executor.execute(() -> {
			this.closeCode = NORMAL_CLOSURE;
			fire(trigger, null);
		});
	}

	/** Disconnects with {@code code}; completes once the transport has closed. */
	public CompletableFuture<Void> disconnect(int code) {
		CompletableFuture<Void> closed = new CompletableFuture<>();
		this.executor.execute(() -> {
			this.closeCode = code;
			this.lastClose = CompletableFuture.completedFuture(null);
			fire(DISCONNECT_REQUESTED, null);
			this.lastClose.whenComplete((ignored, error) -> closed.complete(null));
		});
		return closed;
	}

	public CompletableFuture<Void> send(Message message) {
		return this.outbound.send(message);
	}

	/** A send through a session; {@code control} while the session is opening. */
	CompletableFuture<Void> sendOn(AttemptSession session, Message message, boolean control) {
		return this.outbound.send(session, message, control);
	}

	public Subscriptions subscriptions() {
		return this.subscriptions;
	}

	/** The outbound rate limiter, or {@code null} without {@code outbound.rate-limit}. */
	public RateLimiter rateLimiter() {
		return this.outbound.rateLimiter();
	}

	private void openSession(AttemptSession session) {
		this.sessions.open(session);
	}

	boolean isConnected() {
		return state() == CONNECTED;
	}

	public void addListener(ConnectionListener listener) {
		this.reporter.add(listener);
	}

	public void removeListener(ConnectionListener listener) {
		this.reporter.remove(listener);
	}

	public String circuitBreakerState() {
		return this.breaker.stateName();
	}

	public ConnectionSnapshot snapshot() {
		Link now = this.link;
		StreamPosition position = resumePosition();
		return new ConnectionSnapshot(name(), now.state(), this.since, this.schedule.attempt(),
				this.schedule.totalAttempts(), this.lastFailure, this.breaker.stateName(),
				this.heartbeat.lastRoundTrip(), this.schedule.nextAttemptAt(), this.delivery.messagesIn(),
				this.outbound.sent(), this.outbound.buffered(), (position != null) ? position.value() : null,
				this.delivery.duplicates(), this.delivery.gaps(), this.outbound.dropped(),
				this.delivery.queuedMessages(), this.delivery.queuedBytes(), this.delivery.peakBytes(),
				this.failures.count(), (now.session() != null) ? now.session().pendingOutboundBytes() : 0);
	}

	StreamPosition resumePosition() {
		return (this.resume != null) ? this.resume.resumeFrom() : null;
	}

	/** Whether the handler and the listeners have nothing left to do. */
	boolean isIdle() {
		return this.delivery.queuedMessages() == 0 && this.reporter.isIdle();
	}

	/** The session, if one is still open. */
	TransportSession session() {
		return this.link.session();
	}

	int unhandledMessages() {
		return this.delivery.queuedMessages();
	}

	void flushResume() {
		if (this.resume != null) {
			this.resume.flush();
		}
	}

	/** Writes the resume position now; completes once it is written (never fails). */
	CompletableFuture<Void> flushResumeAsync() {
		return (this.resume != null) ? this.resume.flushAsync() : CompletableFuture.completedFuture(null);
	}

	// ---- The state machine ----

	private void fire(Trigger trigger, Failure cause) {
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
					logger.debug("Connection '" + name() + "' ignored " + trigger + " in " + from);
				}
			}
			case STAY -> {
				if (trigger == CIRCUIT_OPENED) {
					Duration wait = this.breaker.untilProbe();
					this.log.breakerOpen(wait);
					this.schedule.retryAfter(wait, this::probeIfHalfOpen);
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
		if (requested) {
			this.schedule.restart();
		}
		long delay = (to == RECONNECTING) ? this.schedule.nextDelayMillis() : -1;
		if (to == CONNECTING) {
			this.schedule.attemptStarting();
		}
		Instant now = this.executor.clock().instant();
		this.since = now;
		StateChange change = new StateChange(name(), from, to, trigger, cause, this.schedule.attempt(), now,
				(delay >= 0) ? Duration.ofMillis(delay) : null);
		this.log.transitioned(change);
		this.reporter.stateChanged(change);
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
		this.schedule.cancelTimers();
		this.heartbeat.stop();
		this.silence.stop();
		// Timers, a pending open and the connect permit; the attempt's number stays, so a
		// continuing attempt's callbacks still count.
		this.attempts.abandon();
		TransportSession session = this.link.session();
		boolean keepSession = to.hasSession() && from != to;
		if (!keepSession && (from == CONNECTING || from == AUTHENTICATING)) {
			this.breaker.abandoned();
		}
		this.link = new Link(to, keepSession ? session : null);
		if (from.hasSession() && !keepSession) {
			this.sessions.end(cause);
		}
		if (session != null && !keepSession) {
			if (to == DISCONNECTED || to == FATAL || trigger == RECONNECT_REQUESTED) {
				this.lastClose = session.close(this.closeCode,
						(to == FATAL) ? "fatal failure" : (to == DISCONNECTED) ? "disconnect" : "reconnect requested");
			}
			else if (cause != null
					&& (cause.kind() == FailureKind.SESSION_CLOSED || cause.kind() == FailureKind.DATA_SILENCE)) {
				// The peer is alive: end the session properly.
				this.lastClose = session.close(NORMAL_CLOSURE, closeReason(cause));
			}
			else {
				session.abort();
			}
		}
		if ((to == DISCONNECTED || to == FATAL) && from != to) {
			int discarded = this.outbound.discard((to == FATAL) ? "failed fatally" : "was disconnected");
			if (discarded > 0) {
				logger.warn("Connection '" + name() + "' " + to + ": " + discarded
						+ " buffered messages were not sent; their senders' futures failed");
			}
			flushResume();
		}
	}

	// ---- Entry actions ----

	private void startAttempt(boolean requestedByApplication) {
		if (requestedByApplication) {
			this.breaker.acquireOverridingOpenState();
		}
		this.breaker.callStarted();
		this.attempts.start(() -> this.connectRequests.make(resumePosition()));
	}

	private void startAuthentication() {
		long attempt = this.attempts.current();
		Duration timeout = this.settings.authenticationTimeout();
		this.attempts.time(() -> {
			if (isCurrent(attempt, AUTHENTICATING)) {
				attemptFailed(
						this.classifier.of(FailureKind.AUTH_TIMEOUT, "authentication not completed within " + timeout),
						AUTH_FAILED);
			}
		}, timeout);
		this.sessions.begin(attempt, this.schedule.attempt());
	}

	private void connected() {
		this.breaker.succeeded();
		long attempt = this.attempts.current();
		this.schedule.connected(() -> {
			if (isCurrent(attempt, CONNECTED)) {
				this.schedule.stable();
			}
		});
		TransportSession session = this.link.session();
		this.heartbeat.start(() -> ping(session));
		this.silence.start();
		this.sessions.connected();
	}

	private void retryAfter(long delayMillis) {
		if (delayMillis == BackOffExecution.STOP) {
			fire(RETRIES_EXHAUSTED, this.classifier.of(FailureKind.RETRIES_EXHAUSTED,
					"gave up after " + this.settings.reconnect().maxAttempts() + " attempts"));
			return;
		}
		this.schedule.retryAfter(Duration.ofMillis(delayMillis), () -> {
			if (state() == RECONNECTING) {
				fire(this.breaker.tryAcquire() ? BACKOFF_ELAPSED : CIRCUIT_OPENED, null);
			}
		});
	}

	private void probeIfHalfOpen() {
		if (state() == RECONNECTING) {
			fire(this.breaker.tryAcquire() ? CIRCUIT_HALF_OPEN : CIRCUIT_OPENED, null);
		}
	}

	private boolean ping(TransportSession session) {
		if (this.applicationHeartbeat != null) {
			session.send(this.applicationHeartbeat.ping());
			return true;
		}
		return session.ping(new byte[0]);
	}

	// ---- What happens to an attempt (on the executor) ----

	private boolean isCurrent(long attempt, ConnectionState expected) {
		return attempt == this.attempts.current() && state() == expected;
	}

	void openCompleted(long attempt, TransportSession opened, Throwable error) {
		if (!isCurrent(attempt, CONNECTING)) {
			if (opened != null) {
				opened.abort();
			}
			return;
		}
		this.attempts.cancelTimer();
		if (error != null) {
			if (!(error instanceof CancellationException)) {
				Failure failure = this.classifier.classify(error);
				this.schedule.serverFloor(this.serverDelay.of(failure));
				attemptFailed(failure, TRANSPORT_FAILED);
			}
			return;
		}
		this.link = new Link(CONNECTING, opened);
		if (this.delivery.isReadingPaused()) {
			opened.setReadable(false);
		}
		fire(TRANSPORT_OPENED, null);
	}

	/** The handler's connect request hook failed for this attempt. */
	void connectRequestFailed(long attempt, Throwable error) {
		if (isCurrent(attempt, CONNECTING) && !(error instanceof CancellationException)) {
			this.attempts.cancelTimer();
			attemptFailed(this.connectRequests.failure(error), TRANSPORT_FAILED);
		}
	}

	void connectTimedOut(long attempt) {
		if (isCurrent(attempt, CONNECTING)) {
			attemptFailed(
					this.classifier.of(FailureKind.CONNECT_TIMEOUT,
							"not connected within connect-timeout " + this.settings.connectTimeout()),
					TRANSPORT_FAILED);
		}
	}

	void authenticated(long attempt) {
		this.executor.runOrExecute(() -> {
			if (isCurrent(attempt, AUTHENTICATING)) {
				fire(AUTH_SUCCEEDED, null);
			}
		});
	}

	void authenticationRejected(long attempt, String reason) {
		authenticationEnded(attempt, FailureKind.AUTH_REJECTED, "credentials rejected: " + reason);
	}

	void authenticationFailed(long attempt, String reason) {
		authenticationEnded(attempt, FailureKind.AUTH_FAILED, "authentication failed: " + reason);
	}

	private void authenticationEnded(long attempt, FailureKind kind, String detail) {
		this.executor.runOrExecute(() -> {
			if (isCurrent(attempt, AUTHENTICATING)) {
				attemptFailed(this.classifier.of(kind, detail), AUTH_FAILED);
			}
		});
	}

	/**
	 * A failure of the attempt in progress: recorded on the breaker, then routed by its
	 * class.
	 */
	private void attemptFailed(Failure failure, Trigger retryable) {
		this.breaker.failed(failure);
		fire(failure.fatal() ? FATAL_FAILURE : retryable, failure);
	}

	boolean isCurrentAttempt(long attempt) {
		return attempt == this.attempts.current();
	}

	/** Where the transport's inbound callbacks go. */
	InboundTraffic traffic() {
		return this.traffic;
	}

	void closedByPeer(long attempt, int code, String reason) {
		if (attempt == this.attempts.current() && state().hasSession()) {
			this.schedule.serverFloor(this.serverDelay.ofClose(code, reason));
		}
		sessionLost(attempt, this.classifier.closedByPeer(code, reason), TRANSPORT_CLOSED);
	}

	/** The handler ends its session ({@code session.close}). */
	void closeSession(AttemptSession session, String reason) {
		this.executor.execute(() -> {
			if (session == this.sessions.current()) {
				sessionLost(session.attemptId(),
						this.classifier.of(FailureKind.SESSION_CLOSED, "the handler closed the session: " + reason),
						TRANSPORT_CLOSED);
			}
		});
	}

	void sessionFailed(long attempt, Throwable error) {
		sessionLost(attempt, this.classifier.classify(error), TRANSPORT_FAILED);
	}

	private void sessionLost(long attempt, Failure failure, Trigger retryable) {
		if (attempt != this.attempts.current() || !state().hasSession()) {
			return;
		}
		if (state() == AUTHENTICATING) {
			attemptFailed(failure, retryable);
		}
		else {
			fire(failure.fatal() ? FATAL_FAILURE : retryable, failure);
		}
	}

	void writabilityChanged(long attempt, boolean writable) {
		if (writable && attempt == this.attempts.current() && state().hasSession()) {
			this.outbound.pump();
		}
	}

	/** From the watchdog: no application message for {@code inbound.max-silence}. */
	private void dataSilence(Duration silentFor) {
		if (state() != CONNECTED) {
			return;
		}
		this.reporter.dataSilence(new DataSilence(name(), silentFor, this.executor.clock().instant()));
		if (this.settings.inbound().silence().onSilence() == SilenceSettings.OnSilence.RECONNECT) {
			fire(TRANSPORT_FAILED,
					this.classifier.of(FailureKind.DATA_SILENCE,
							"no application message for " + silentFor.toMillis() + " ms (inbound.max-silence "
									+ this.settings.inbound().silence().maxSilence() + "); pings were answered"));
		}
	}

	/** A close reason within the 123 bytes a close frame allows. */
	private static String closeReason(Failure cause) {
		String reason = (cause.kind() == FailureKind.DATA_SILENCE) ? "no data" : cause.message();
		return (reason.length() > 60) ? reason.substring(0, 60) : reason;
	}

	private void heartbeatMissed() {
		if (state() != CONNECTED) {
			return;
		}
		Duration timeout = this.settings.heartbeat().timeout();
		this.reporter.heartbeatMissed(new HeartbeatMissed(name(), timeout, this.executor.clock().instant()));
		fire(HEARTBEAT_MISSED, this.classifier.of(FailureKind.HEARTBEAT_TIMEOUT,
				"no pong or other inbound traffic within " + timeout + " after a ping"));
	}

	/** From the handler lane: the handler wants a gap replayed. */
	private void replay(long attempt, SequenceGap gap) {
		this.executor.execute(() -> {
			if (isCurrent(attempt, CONNECTED)) {
				fire(TRANSPORT_FAILED, this.classifier.of(FailureKind.SEQUENCE_GAP, "positions " + gap.firstMissing()
						+ ".." + gap.lastMissing() + " missing; resuming to replay them"));
			}
		});
	}

	private void setReadable(boolean readable) {
		TransportSession session = this.link.session();
		if (session != null) {
			session.setReadable(readable);
		}
	}

	private record Pending(Trigger trigger, Failure cause) {
	}

}
