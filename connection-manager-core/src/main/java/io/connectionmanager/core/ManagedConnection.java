package io.connectionmanager.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.OutboundSettings;
import io.connectionmanager.core.event.ConnectionListener;
import io.connectionmanager.core.event.DuplicateDropped;
import io.connectionmanager.core.event.SequenceGap;
import io.connectionmanager.core.event.HeartbeatMissed;
import io.connectionmanager.core.event.StateChange;
import io.connectionmanager.core.failure.Failure;
import io.connectionmanager.core.internal.failure.FailureClassifier;
import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.core.internal.heartbeat.HeartbeatMonitor;
import io.connectionmanager.core.runtime.Cancellable;
import io.connectionmanager.core.runtime.ConnectionExecutor;
import io.connectionmanager.core.internal.inbound.InboundDispatcher;
import io.connectionmanager.core.internal.outbound.OutboundBuffer;
import io.connectionmanager.core.resume.GapAction;
import io.connectionmanager.core.resume.ResumeCarrier;
import io.connectionmanager.core.resume.ResumeStore;
import io.connectionmanager.core.internal.resume.ResumeTracker;
import io.connectionmanager.core.resume.StreamPosition;
import io.connectionmanager.core.state.Trigger;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.internal.state.Transition;
import io.connectionmanager.core.internal.state.TransitionTable;
import io.connectionmanager.core.transport.ConnectRequest;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.core.transport.Transport;
import io.connectionmanager.core.transport.TransportListener;
import io.connectionmanager.core.transport.TransportSession;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

import static io.connectionmanager.core.state.Trigger.*;
import static io.connectionmanager.core.state.ConnectionState.*;

/**
 * A connection that keeps itself connected: it drives a {@link Transport} through the
 * {@link TransitionTable}, backs off between attempts, checks liveness with heartbeats,
 * asks a Resilience4j {@link CircuitBreaker} before each attempt and reports every
 * transition to its {@link ConnectionListener}s.
 * <p>
 * Threading: all state lives on one {@link ConnectionExecutor} (a serial event loop
 * shared with other connections). Public methods may be called from any thread; they post
 * to the executor. Transitions run to completion: an event raised while one is being
 * processed is queued behind it.
 */
public final class ManagedConnection implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ManagedConnection.class);

	private static final TransitionTable TABLE = TransitionTable.standard();

	private static final int NORMAL_CLOSURE = 1000;

	private static final int GOING_AWAY = 1001;

	private final ConnectionSettings settings;

	private final Transport transport;

	private final ConnectionHandler handler;

	private final ConnectionExecutor executor;

	private final CircuitBreaker circuitBreaker;

	private final BackOff backOff;

	private final FailureClassifier classifier;

	private final HeartbeatMonitor heartbeat;

	private final ApplicationHeartbeat applicationHeartbeat;

	private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();

	private final AutoCloseable ownedResources;

	private final ResumeTracker resume;

	private final OutboundBuffer outbound;

	private final InboundDispatcher inbound;

	private final LongAdder messagesIn = new LongAdder();

	private final LongAdder duplicatesDropped = new LongAdder();

	private final LongAdder gaps = new LongAdder();

	private final LongAdder handlerErrors = new LongAdder();

	// Confined to the executor.

	private final ArrayDeque<PendingEvent> pendingEvents = new ArrayDeque<>();

	private boolean transitioning;

	private long attemptId;

	private BackOffExecution backOffExecution;

	private CompletableFuture<TransportSession> pendingOpen;

	private Cancellable attemptTimer = Cancellable.NONE;

	private Cancellable retryTimer = Cancellable.NONE;

	private Cancellable stableTimer = Cancellable.NONE;

	private long attemptStartedNanos;

	private boolean permissionHeld;

	private long circuitOpenedNanos;

	private int closeCode = NORMAL_CLOSURE;

	private CompletableFuture<Void> lastClose = CompletableFuture.completedFuture(null);

	// Published for readers on any thread.

	private volatile ConnectionState state = DISCONNECTED;

	private volatile Instant since;

	private volatile int attempt;

	private volatile long totalAttempts;

	private volatile Failure lastFailure;

	private volatile TransportSession session;

	private volatile Instant nextAttemptAt;

	private final LongAdder messagesOut = new LongAdder();

	private volatile boolean closed;

	private CompletableFuture<Void> closing;

	ManagedConnection(ConnectionSettings settings, Transport transport, ConnectionHandler handler,
			ConnectionExecutor executor, CircuitBreaker circuitBreaker, BackOff backOff,
			List<ConnectionListener> listeners, AutoCloseable ownedResources, ResumeStore resumeStore,
			Executor handlerExecutor) {
		this.settings = Objects.requireNonNull(settings, "settings");
		this.transport = Objects.requireNonNull(transport, "transport");
		this.handler = Objects.requireNonNull(handler, "handler");
		this.executor = Objects.requireNonNull(executor, "executor");
		this.circuitBreaker = circuitBreaker;
		this.backOff = Objects.requireNonNull(backOff, "backOff");
		this.classifier = new FailureClassifier(settings.failurePolicy(), executor.clock());
		this.heartbeat = new HeartbeatMonitor(settings.heartbeat(), executor, this::onHeartbeatDead);
		this.applicationHeartbeat = handler.applicationHeartbeat();
		this.listeners.addAll(listeners);
		this.ownedResources = ownedResources;
		this.since = executor.clock().instant();
		this.resume = settings.resume().enabled() ? new ResumeTracker(settings.name(), resumeStore) : null;
		this.outbound = (settings.outbound().whenDisconnected() == OutboundSettings.WhenDisconnected.BUFFER)
				? new OutboundBuffer(settings.name(), settings.outbound()) : null;
		this.inbound = new InboundDispatcher(settings.inbound(), handlerExecutor, this::handle, this::setReadable,
				executor);
		if (circuitBreaker != null) {
			circuitBreaker.getEventPublisher().onStateTransition((event) -> {
				if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
					this.circuitOpenedNanos = executor.nanoTime();
				}
			});
		}
	}

	/** Starts building a connection from validated settings. */
	public static ManagedConnectionBuilder builder(ConnectionSettings settings) {
		return new ManagedConnectionBuilder(settings);
	}

	public String name() {
		return this.settings.name();
	}

	public ConnectionSettings settings() {
		return this.settings;
	}

	public ConnectionState state() {
		return this.state;
	}

	/** The connection's breaker, or {@code null} when circuit breaking is disabled. */
	public CircuitBreaker circuitBreaker() {
		return this.circuitBreaker;
	}

	public void addListener(ConnectionListener listener) {
		this.listeners.add(Objects.requireNonNull(listener, "listener"));
	}

	public void removeListener(ConnectionListener listener) {
		this.listeners.remove(listener);
	}

	/**
	 * Connects (or, while RECONNECTING or FATAL, attempts at once). No effect when
	 * already on the way up.
	 */
	public void connect() {
		request(CONNECT_REQUESTED, NORMAL_CLOSURE);
	}

	/**
	 * Drops any current session or attempt and connects afresh, with a fresh backoff
	 * sequence.
	 */
	public void reconnect() {
		request(RECONNECT_REQUESTED, NORMAL_CLOSURE);
	}

	/**
	 * Closes with code 1000 and stays DISCONNECTED. The future completes once the
	 * transport has closed.
	 */
	public CompletableFuture<Void> disconnect() {
		return disconnect(NORMAL_CLOSURE);
	}

	private CompletableFuture<Void> disconnect(int code) {
		CompletableFuture<Void> closedFuture = new CompletableFuture<>();
		this.executor.execute(() -> {
			this.closeCode = code;
			this.lastClose = CompletableFuture.completedFuture(null);
			fire(DISCONNECT_REQUESTED, null);
			this.lastClose.whenComplete((ignored, error) -> closedFuture.complete(null));
		});
		return closedFuture;
	}

	private void request(Trigger event, int code) {
		if (this.closed) {
			throw new IllegalStateException("Connection '" + name() + "' is closed");
		}
		this.executor.execute(() -> {
			this.closeCode = code;
			fire(event, null);
		});
	}

	/**
	 * Sends a message. Only possible while CONNECTED.
	 * @throws NotConnectedException in any other state
	 */
	public CompletableFuture<Void> send(Message message) {
		if (this.outbound != null) {
			return this.outbound.offer(message, this::write);
		}
		return write(message);
	}

	private CompletableFuture<Void> write(Message message) {
		TransportSession current = this.session;
		ConnectionState now = this.state;
		if (now != CONNECTED || current == null) {
			throw new NotConnectedException(name(), now);
		}
		this.heartbeat.onSent();
		this.messagesOut.increment();
		return current.send(message);
	}

	public CompletableFuture<Void> send(String text) {
		return send(Message.text(text));
	}

	public CompletableFuture<Void> send(byte[] data) {
		return send(Message.binary(data));
	}

	public ConnectionSnapshot snapshot() {
		String breakerState = (this.circuitBreaker != null) ? this.circuitBreaker.getState().name() : "DISABLED";
		StreamPosition position = (this.resume != null) ? this.resume.resumeFrom() : null;
		return new ConnectionSnapshot(name(), this.state, this.since, this.attempt, this.totalAttempts,
				this.lastFailure, breakerState, this.heartbeat.lastRoundTrip(), this.nextAttemptAt,
				this.messagesIn.sum(), this.messagesOut.sum(), (this.outbound != null) ? this.outbound.size() : 0,
				(position != null) ? position.value() : null, this.duplicatesDropped.sum(), this.gaps.sum(),
				(this.outbound != null) ? this.outbound.dropped() : 0, this.inbound.queuedMessages(),
				this.inbound.queuedBytes(), this.inbound.peakBytes(), this.handlerErrors.sum(), 0);
	}

	/**
	 * Closes gracefully: a 1001 close frame, then lets the handler finish what was
	 * already received, then saves the resume position. Bounded by
	 * {@code shutdown-timeout}; past it the transport is dropped. Never blocks the
	 * caller. Idempotent: later calls return the same future.
	 */
	public CompletableFuture<Void> closeAsync() {
		synchronized (this.listeners) {
			if (this.closing != null) {
				return this.closing;
			}
			this.closed = true;
			long deadline = System.nanoTime() + this.settings.shutdownTimeout().toNanos();
			this.closing = disconnect(GOING_AWAY)
				.completeOnTimeout(null, this.settings.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)
				.thenCompose((ignored) -> inboundDrained(deadline))
				.whenComplete((ignored, error) -> release());
			return this.closing;
		}
	}

	/**
	 * {@link #closeAsync()}, waiting for it (unless called from the connection's own
	 * thread).
	 */
	@Override
	public void close() {
		CompletableFuture<Void> done = closeAsync();
		if (!this.executor.inExecutor()) {
			done.join();
		}
	}

	/** Whether {@link #close()} was called; a closed connection cannot connect again. */
	public boolean isClosed() {
		return this.closed;
	}

	private CompletableFuture<Void> inboundDrained(long deadline) {
		CompletableFuture<Void> drained = new CompletableFuture<>();
		pollInboundDrained(drained, deadline);
		return drained;
	}

	private void pollInboundDrained(CompletableFuture<Void> drained, long deadline) {
		if (this.inbound.queuedMessages() == 0 || System.nanoTime() - deadline >= 0) {
			drained.complete(null);
			return;
		}
		this.executor.schedule(() -> pollInboundDrained(drained, deadline), Duration.ofMillis(10));
	}

	private void release() {
		TransportSession current = this.session;
		if (current != null) {
			logger.warn("Connection '" + name() + "' did not close within " + this.settings.shutdownTimeout()
					+ "; dropping it");
			current.abort();
		}
		int unhandled = this.inbound.queuedMessages();
		if (unhandled > 0) {
			logger.warn("Connection '" + name() + "' closed with " + unhandled
					+ " received messages not yet handled; they were not marked delivered and will be replayed");
		}
		if (this.resume != null) {
			this.resume.flush();
		}
		this.transport.close();
		if (this.ownedResources != null) {
			try {
				this.ownedResources.close();
			}
			catch (Exception ex) {
				logger.warn("Failed to release resources of connection '" + name() + "'", ex);
			}
		}
	}

	// ---- The state machine (executor only) ----

	private void fire(Trigger event, Failure cause) {
		if (this.transitioning) {
			this.pendingEvents.add(new PendingEvent(event, cause));
			return;
		}
		this.transitioning = true;
		try {
			apply(event, cause);
			PendingEvent next;
			while ((next = this.pendingEvents.poll()) != null) {
				apply(next.event(), next.cause());
			}
		}
		finally {
			this.transitioning = false;
		}
	}

	private void apply(Trigger event, Failure cause) {
		ConnectionState from = this.state;
		Transition transition = TABLE.lookup(from, event);
		switch (transition.kind()) {
			case REJECT -> {
				if (logger.isDebugEnabled()) {
					logger.debug("Connection '" + name() + "' ignored " + event + " in " + from);
				}
			}
			case STAY -> stay(event);
			case MOVE -> move(from, transition.target(), event, cause);
		}
	}

	private void move(ConnectionState from, ConnectionState to, Trigger event, Failure cause) {
		leave(from, to, event);
		Instant now = this.executor.clock().instant();
		if (cause != null) {
			this.lastFailure = cause;
		}
		if (event == CONNECT_REQUESTED || event == RECONNECT_REQUESTED) {
			this.attempt = 0;
			this.backOffExecution = null;
		}
		long delay = -1;
		if (to == RECONNECTING) {
			if (this.backOffExecution == null) {
				this.backOffExecution = this.backOff.start();
			}
			delay = this.backOffExecution.nextBackOff();
		}
		if (to == CONNECTING) {
			this.attempt++;
		}
		this.state = to;
		this.since = now;
		Duration retryIn = (delay >= 0) ? Duration.ofMillis(delay) : null;
		logTransition(from, to, event, cause, retryIn);
		publish(new StateChange(name(), from, to, event, cause, this.attempt, now, retryIn));
		switch (to) {
			case CONNECTING -> startAttempt(event == CONNECT_REQUESTED || event == RECONNECT_REQUESTED);
			case AUTHENTICATING -> startAuthentication();
			case CONNECTED -> onConnected();
			case RECONNECTING -> scheduleRetry(delay);
			case DISCONNECTED, FATAL -> {
			}
		}
	}

	private void stay(Trigger event) {
		if (event == CIRCUIT_OPENED) {
			Duration wait = remainingOpenTime();
			this.nextAttemptAt = this.executor.clock().instant().plus(wait);
			if (logger.isInfoEnabled()) {
				logger.info("Connection '" + name() + "': circuit breaker open, next probe in " + wait);
			}
			this.retryTimer = this.executor.schedule(this::onHalfOpenDue, wait);
		}
	}

	/**
	 * Exit actions: timers of the state being left stop. While an attempt carries on
	 * (CONNECTING -> AUTHENTICATING -> CONNECTED) its session and breaker permit carry on
	 * with it; otherwise the session is closed (gracefully when the application asked for
	 * it or the failure is fatal; dropped when it is presumed dead) and an unsettled
	 * permit is released.
	 */
	private void leave(ConnectionState from, ConnectionState to, Trigger event) {
		this.attemptTimer.cancel();
		this.retryTimer.cancel();
		this.stableTimer.cancel();
		this.attemptTimer = Cancellable.NONE;
		this.retryTimer = Cancellable.NONE;
		this.stableTimer = Cancellable.NONE;
		this.heartbeat.stop();
		this.nextAttemptAt = null;
		if (this.pendingOpen != null) {
			this.pendingOpen.cancel(false);
			this.pendingOpen = null;
		}
		if (from == CONNECTED && this.outbound != null) {
			this.outbound.close();
		}
		if ((to == DISCONNECTED || to == FATAL) && from != to) {
			stopForGood(to);
		}
		boolean attemptContinues = to.hasSession() && from != to;
		if (attemptContinues) {
			return;
		}
		if (this.permissionHeld && (from == CONNECTING || from == AUTHENTICATING)) {
			// An attempt abandoned by the application is neither a success nor a failure.
			this.circuitBreaker.releasePermission();
			this.permissionHeld = false;
		}
		TransportSession current = this.session;
		this.session = null;
		if (current != null) {
			if (to == DISCONNECTED || to == FATAL || event == RECONNECT_REQUESTED) {
				this.lastClose = current.close(this.closeCode,
						(to == FATAL) ? "fatal failure" : (to == DISCONNECTED) ? "disconnect" : "reconnect requested");
			}
			else {
				current.abort();
			}
		}
	}

	/** Disconnected or FATAL: nothing will be sent until the application asks again. */
	private void stopForGood(ConnectionState to) {
		if (this.outbound != null) {
			int discarded = this.outbound.discard((to == FATAL) ? "failed fatally" : "was disconnected");
			if (discarded > 0) {
				logger.warn("Connection '" + name() + "' " + to + ": " + discarded
						+ " buffered messages were not sent; their senders' futures failed");
			}
		}
		if (this.resume != null) {
			this.resume.flush();
		}
	}

	private void startAttempt(boolean requestedByApplication) {
		if (requestedByApplication) {
			acquirePermissionOverridingOpenState();
		}
		long id = ++this.attemptId;
		this.totalAttempts++;
		this.attemptStartedNanos = this.executor.nanoTime();
		Duration timeout = this.settings.connectTimeout();
		this.attemptTimer = this.executor.schedule(() -> onConnectTimeout(id), timeout);
		StreamPosition resumeFrom = (this.resume != null) ? this.resume.resumeFrom() : null;
		ConnectRequest request = ResumeCarrier.request(this.settings, resumeFrom);
		CompletableFuture<TransportSession> opening;
		try {
			opening = this.transport.open(request, new AttemptListener(id));
		}
		catch (RuntimeException ex) {
			opening = CompletableFuture.failedFuture(ex);
		}
		this.pendingOpen = opening;
		opening.whenComplete((opened, error) -> this.executor.runOrExecute(() -> onOpenCompleted(id, opened, error)));
	}

	private void onOpenCompleted(long id, TransportSession opened, Throwable error) {
		if (id != this.attemptId || this.state != CONNECTING) {
			if (opened != null) {
				opened.abort();
			}
			return;
		}
		this.pendingOpen = null;
		this.attemptTimer.cancel();
		if (error != null) {
			if (!(error instanceof CancellationException)) {
				attemptFailed(this.classifier.classify(error), TRANSPORT_FAILED);
			}
			return;
		}
		this.session = opened;
		if (this.inbound.isPaused()) {
			opened.setReadable(false);
		}
		fire(TRANSPORT_OPENED, null);
	}

	private void onConnectTimeout(long id) {
		if (id == this.attemptId && this.state == CONNECTING) {
			attemptFailed(
					this.classifier.of(FailureKind.CONNECT_TIMEOUT,
							"not connected within connect-timeout " + this.settings.connectTimeout()),
					TRANSPORT_FAILED);
		}
	}

	private void startAuthentication() {
		long id = this.attemptId;
		Duration timeout = this.settings.authenticationTimeout();
		this.attemptTimer = this.executor.schedule(() -> {
			if (id == this.attemptId && this.state == AUTHENTICATING) {
				attemptFailed(
						this.classifier.of(FailureKind.AUTH_TIMEOUT, "authentication not completed within " + timeout),
						AUTH_FAILED);
			}
		}, timeout);
		try {
			this.handler.authenticate(new Authentication(id, this.session, this.attempt));
		}
		catch (RuntimeException ex) {
			logger.warn("Connection '" + name() + "': handler failed to authenticate", ex);
			attemptFailed(this.classifier.of(FailureKind.AUTH_FAILED, "handler threw " + ex), AUTH_FAILED);
		}
	}

	private void onConnected() {
		if (this.permissionHeld) {
			this.circuitBreaker.onSuccess(this.executor.nanoTime() - this.attemptStartedNanos, TimeUnit.NANOSECONDS);
			this.permissionHeld = false;
		}
		long id = this.attemptId;
		this.stableTimer = this.executor.schedule(() -> {
			if (id == this.attemptId && this.state == CONNECTED) {
				this.backOffExecution = null;
				this.attempt = 0;
			}
		}, this.settings.reconnect().resetAfter());
		TransportSession current = this.session;
		this.heartbeat.start(() -> sendPing(current));
		if (this.outbound != null) {
			this.outbound.open(this::write);
		}
	}

	private boolean sendPing(TransportSession current) {
		if (this.applicationHeartbeat != null) {
			current.send(this.applicationHeartbeat.ping());
			return true;
		}
		return current.ping(new byte[0]);
	}

	private void onHeartbeatDead() {
		if (this.state != CONNECTED) {
			return;
		}
		Duration timeout = this.settings.heartbeat().timeout();
		HeartbeatMissed missed = new HeartbeatMissed(name(), timeout, this.executor.clock().instant());
		for (ConnectionListener listener : this.listeners) {
			try {
				listener.onHeartbeatMissed(missed);
			}
			catch (RuntimeException ex) {
				logger.warn("Connection listener failed", ex);
			}
		}
		fire(HEARTBEAT_MISSED, this.classifier.of(FailureKind.HEARTBEAT_TIMEOUT,
				"no pong or other inbound traffic within " + timeout + " after a ping"));
	}

	private void scheduleRetry(long delayMillis) {
		if (delayMillis == BackOffExecution.STOP) {
			fire(RETRIES_EXHAUSTED, this.classifier.of(FailureKind.RETRIES_EXHAUSTED,
					"gave up after " + this.settings.reconnect().maxAttempts() + " attempts"));
			return;
		}
		Duration delay = Duration.ofMillis(delayMillis);
		this.nextAttemptAt = this.executor.clock().instant().plus(delay);
		this.retryTimer = this.executor.schedule(() -> {
			if (this.state == RECONNECTING) {
				fire(tryAcquirePermission() ? BACKOFF_ELAPSED : CIRCUIT_OPENED, null);
			}
		}, delay);
	}

	private void onHalfOpenDue() {
		if (this.state == RECONNECTING) {
			fire(tryAcquirePermission() ? CIRCUIT_HALF_OPEN : CIRCUIT_OPENED, null);
		}
	}

	/**
	 * A failure of the attempt in progress: recorded on the breaker, then routed by its
	 * classification.
	 */
	private void attemptFailed(Failure failure, Trigger retryableEvent) {
		if (this.permissionHeld) {
			this.circuitBreaker.onError(this.executor.nanoTime() - this.attemptStartedNanos, TimeUnit.NANOSECONDS,
					new ConnectionFailureException(failure));
			this.permissionHeld = false;
		}
		fire(failure.fatal() ? FATAL_FAILURE : retryableEvent, failure);
	}

	private void sessionLost(long id, Failure failure, Trigger retryableEvent) {
		if (id != this.attemptId || !this.state.hasSession()) {
			return;
		}
		this.session = null;
		if (this.state == AUTHENTICATING) {
			attemptFailed(failure, retryableEvent);
		}
		else {
			fire(failure.fatal() ? FATAL_FAILURE : retryableEvent, failure);
		}
	}

	private void deliver(long id, Message message) {
		if (id != this.attemptId) {
			return;
		}
		this.heartbeat.onInbound();
		ConnectionState now = this.state;
		try {
			if (now == CONNECTED) {
				if (this.applicationHeartbeat != null && this.applicationHeartbeat.isPong(message)) {
					this.heartbeat.onPong();
					return;
				}
				StreamPosition position = (this.resume != null) ? this.handler.positionOf(message) : null;
				if (position != null && !admit(position)) {
					return;
				}
				this.inbound.enqueue(new InboundDispatcher.Delivery(message, position));
			}
			else if (now == AUTHENTICATING) {
				this.handler.onAuthenticationMessage(new Authentication(id, this.session, this.attempt), message);
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Connection '" + name() + "': handler failed on a message; the connection stays up", ex);
		}
	}

	/** De-duplication and gap detection; {@code false} drops the message. */
	private boolean admit(StreamPosition position) {
		ResumeTracker.Verdict verdict = this.resume.check(position);
		Instant now = this.executor.clock().instant();
		if (verdict instanceof ResumeTracker.Duplicate duplicate) {
			this.duplicatesDropped.increment();
			DuplicateDropped dropped = new DuplicateDropped(name(), position.value(), duplicate.lastAccepted().value(),
					now);
			this.listeners.forEach((listener) -> notify(() -> listener.onDuplicateDropped(dropped)));
			return false;
		}
		if (verdict instanceof ResumeTracker.Gap missing) {
			this.gaps.increment();
			SequenceGap gap = new SequenceGap(name(), missing.firstMissing(), missing.lastMissing(), now);
			this.listeners.forEach((listener) -> notify(() -> listener.onSequenceGap(gap)));
			if (this.handler.onSequenceGap(gap) == GapAction.REPLAY) {
				fire(TRANSPORT_FAILED, this.classifier.of(FailureKind.SEQUENCE_GAP, "positions " + gap.firstMissing()
						+ ".." + gap.lastMissing() + " missing; resuming to replay them"));
				return false;
			}
		}
		this.resume.accept(position);
		return true;
	}

	/** On the handler thread: the application's turn. */
	private void handle(InboundDispatcher.Delivery delivery) {
		this.messagesIn.increment();
		try {
			this.handler.onMessage(delivery.message());
		}
		catch (RuntimeException ex) {
			logger.warn("Connection '" + name() + "': handler failed on a message; the connection stays up", ex);
		}
		if (delivery.position() != null) {
			// Marked delivered even if the handler threw: a poison message must not be
			// replayed forever.
			this.resume.delivered(delivery.position());
		}
	}

	private void setReadable(boolean readable) {
		TransportSession current = this.session;
		if (current != null) {
			current.setReadable(readable);
		}
	}

	private static void notify(Runnable callback) {
		try {
			callback.run();
		}
		catch (RuntimeException ex) {
			logger.warn("Connection listener failed", ex);
		}
	}

	// ---- Circuit breaker ----

	private boolean tryAcquirePermission() {
		if (this.circuitBreaker == null) {
			return true;
		}
		this.permissionHeld = this.circuitBreaker.tryAcquirePermission();
		return this.permissionHeld;
	}

	/**
	 * An explicit request from the application is the operator's "try now": it may probe
	 * an open breaker.
	 */
	private void acquirePermissionOverridingOpenState() {
		if (this.circuitBreaker == null || this.permissionHeld) {
			return;
		}
		if (!tryAcquirePermission() && this.circuitBreaker.getState() == CircuitBreaker.State.OPEN) {
			this.circuitBreaker.transitionToHalfOpenState();
			tryAcquirePermission();
		}
	}

	private Duration remainingOpenTime() {
		long waitMillis = this.circuitBreaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1);
		long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(this.executor.nanoTime() - this.circuitOpenedNanos);
		// Resilience4j half-opens strictly after the wait, hence the extra millisecond.
		// If it still says no once
		// the wait is over (forced open, a custom interval function), ask again after a
		// full wait.
		long remaining = waitMillis - elapsedMillis + 1;
		return Duration.ofMillis((remaining > 1) ? remaining : waitMillis);
	}

	// ---- Reporting ----

	private void publish(StateChange change) {
		for (ConnectionListener listener : this.listeners) {
			try {
				listener.onStateChanged(change);
			}
			catch (RuntimeException ex) {
				logger.warn("Connection listener failed on " + change, ex);
			}
		}
	}

	private void logTransition(ConnectionState from, ConnectionState to, Trigger event, Failure cause,
			Duration retryIn) {
		if (to == FATAL) {
			logger.error("Connection '" + name() + "' is FATAL: " + ((cause != null) ? cause.describe() : event)
					+ ". It will not retry until connect() or reconnect() is called.");
		}
		else if (logger.isInfoEnabled()) {
			logger.info("Connection '" + name() + "' " + from + " -> " + to + " on " + event
					+ ((cause != null) ? " (" + cause.describe() + ")" : "")
					+ ((retryIn != null) ? ", next attempt in " + retryIn.toMillis() + " ms" : ""));
		}
	}

	private record PendingEvent(Trigger event, Failure cause) {
	}

	/** Transport callbacks for one attempt; anything from an older attempt is dropped. */
	private final class AttemptListener implements TransportListener {

		private final long id;

		AttemptListener(long id) {
			this.id = id;
		}

		@Override
		public void onMessage(Message message) {
			if (ManagedConnection.this.executor.inExecutor()) {
				deliver(this.id, message);
			}
			else {
				ManagedConnection.this.executor.execute(() -> deliver(this.id, message));
			}
		}

		@Override
		public void onPong() {
			ManagedConnection.this.executor.runOrExecute(() -> {
				if (this.id == ManagedConnection.this.attemptId) {
					ManagedConnection.this.heartbeat.onPong();
				}
			});
		}

		@Override
		public void onPing() {
			ManagedConnection.this.executor.runOrExecute(() -> {
				if (this.id == ManagedConnection.this.attemptId) {
					ManagedConnection.this.heartbeat.onInbound();
				}
			});
		}

		@Override
		public void onClosed(int code, String reason) {
			ManagedConnection.this.executor.runOrExecute(() -> sessionLost(this.id,
					ManagedConnection.this.classifier.closedByPeer(code, reason), TRANSPORT_CLOSED));
		}

		@Override
		public void onError(Throwable error) {
			ManagedConnection.this.executor.runOrExecute(
					() -> sessionLost(this.id, ManagedConnection.this.classifier.classify(error), TRANSPORT_FAILED));
		}

	}

	/** The authentication step of one attempt. */
	private final class Authentication implements AuthenticationContext {

		private final long id;

		private final TransportSession authenticating;

		private final int attemptNumber;

		Authentication(long id, TransportSession authenticating, int attemptNumber) {
			this.id = id;
			this.authenticating = authenticating;
			this.attemptNumber = attemptNumber;
		}

		@Override
		public String connectionName() {
			return name();
		}

		@Override
		public int attempt() {
			return this.attemptNumber;
		}

		@Override
		public StreamPosition resumePosition() {
			return (ManagedConnection.this.resume != null) ? ManagedConnection.this.resume.resumeFrom() : null;
		}

		@Override
		public CompletableFuture<Void> send(Message message) {
			return this.authenticating.send(message);
		}

		@Override
		public void succeed() {
			whenCurrent(() -> fire(AUTH_SUCCEEDED, null));
		}

		@Override
		public void reject(String reason) {
			whenCurrent(() -> attemptFailed(
					ManagedConnection.this.classifier.of(FailureKind.AUTH_REJECTED, "credentials rejected: " + reason),
					AUTH_FAILED));
		}

		@Override
		public void fail(String reason) {
			whenCurrent(() -> attemptFailed(
					ManagedConnection.this.classifier.of(FailureKind.AUTH_FAILED, "authentication failed: " + reason),
					AUTH_FAILED));
		}

		private void whenCurrent(Runnable action) {
			ManagedConnection.this.executor.runOrExecute(() -> {
				if (this.id == ManagedConnection.this.attemptId && ManagedConnection.this.state == AUTHENTICATING) {
					action.run();
				}
			});
		}

	}

}
