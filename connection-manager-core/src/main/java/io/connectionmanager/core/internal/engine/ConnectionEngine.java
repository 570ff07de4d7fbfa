package io.connectionmanager.core.internal.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.event.ConnectionListener;
import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.handler.Subscriptions;
import io.connectionmanager.core.internal.failure.FailureClassifier;
import io.connectionmanager.core.internal.heartbeat.HeartbeatMonitor;
import io.connectionmanager.core.internal.inbound.SilenceWatchdog;
import io.connectionmanager.core.internal.resume.ResumeTracker;
import io.connectionmanager.core.resume.StreamPosition;
import io.connectionmanager.core.runtime.ConnectionExecutor;
import io.connectionmanager.core.state.ConnectionSnapshot;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.state.Trigger;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.core.transport.TransportSession;
import io.github.resilience4j.ratelimiter.RateLimiter;

import static io.connectionmanager.core.state.ConnectionState.CONNECTED;
import static io.connectionmanager.core.state.Trigger.DISCONNECT_REQUESTED;

/**
 * One connection's engine: wires its collaborators (see {@link Collaborators}) and is
 * what the public {@code ManagedConnection} talks to. The {@link StateMachine} drives the
 * transition table and runs each state's entry and exit actions; the
 * {@link AttemptSignals} turn what happens to an attempt into its triggers; everything
 * runs on the connection's executor (its event loop), so no locks.
 */
public final class ConnectionEngine {

	static final int NORMAL_CLOSURE = StateMachine.NORMAL_CLOSURE;

	private final Collaborators c;

	private final StateMachine machine;

	private final AttemptSignals signals;

	private final CallbackFailures failures;

	private final SubscriptionRegistry subscriptions;

	private final InboundTraffic traffic;

	ConnectionEngine(EngineParts parts) {
		ConnectionSettings settings = parts.settings();
		ConnectionExecutor executor = parts.executor();
		ConnectionHandler handler = parts.handler();
		String name = settings.name();
		this.failures = new CallbackFailures(name);
		Rotation rotation = new Rotation(this, settings.rotation());
		ResumeTracker resume = (parts.resumeStore() != null) ? new ResumeTracker(name, parts.resumeStore()) : null;
		ReconnectSchedule schedule = new ReconnectSchedule(parts.backOff(), executor, settings.reconnect().resetAfter(),
				settings.reconnect().maxServerDelay());
		HeartbeatMonitor heartbeat = new HeartbeatMonitor(settings.heartbeat(), executor,
				() -> signals().heartbeatMissed());
		EventReporter reporter = new EventReporter(parts.listeners(), parts.handlerExecutor(),
				(failure) -> this.failures.record("a listener", failure));
		SerialLane lane = new SerialLane(parts.handlerExecutor(),
				(failure) -> this.failures.record("handler", failure));
		DeliveryPipeline delivery = new DeliveryPipeline(
				new DeliveryPipeline.Parts(name, handler, resume, lane, executor, reporter, this.failures,
						(attempt, gap) -> signals().replay(attempt, gap), this::openSession, new DrainDetector(handler,
								settings.rotation().drainMessage(), (attempt) -> signals().drain(attempt))),
				settings.inbound(), this::setReadable);
		OutboundPath outbound = new OutboundPath(name, settings.outbound(), this::link, heartbeat, executor);
		this.subscriptions = new SubscriptionRegistry(name, lane, executor.clock(), reporter::subscriptionFailed);
		Sessions sessions = new Sessions(this, handler, executor, delivery, outbound, this.subscriptions,
				this.failures);
		SilenceWatchdog silence = new SilenceWatchdog(settings.inbound().silence(), executor,
				(silentFor) -> signals().dataSilence(silentFor));
		this.traffic = new InboundTraffic(this, heartbeat, silence, delivery, sessions, handler.applicationHeartbeat(),
				this.failures, rotation);
		this.c = new Collaborators(settings, executor, handler.applicationHeartbeat(),
				new FailureClassifier(settings.failurePolicy(), executor.clock()), resume,
				new Attempts(this, executor, parts.transport(), parts.permits(), settings.connectTimeout()),
				new BreakerGate(parts.circuitBreaker(), executor), schedule, heartbeat, silence, delivery, outbound,
				sessions, new ConnectRequests(settings, handler, parts.handlerExecutor(), executor.clock()),
				new ServerDelay(handler, executor.clock(), this.failures), reporter,
				new TransitionLog(name, executor, schedule::totalAttempts, parts.outageSummary()), rotation,
				new Endpoints(settings, ThreadLocalRandom.current()));
		this.machine = new StateMachine(this.c);
		this.signals = new AttemptSignals(this.c, this.machine);
	}

	public String name() {
		return this.c.name();
	}

	public ConnectionState state() {
		return this.machine.state();
	}

	/** Posts a trigger raised by the application (connect, reconnect) to the executor. */
	public void request(Trigger trigger) {
		this.c.executor().execute(() -> this.machine.request(trigger));
	}

	/** Disconnects with {@code code}; completes once the transport has closed. */
	public CompletableFuture<Void> disconnect(int code) {
		CompletableFuture<Void> closed = new CompletableFuture<>();
		this.c.executor()
			.execute(() -> this.machine.disconnect(code, DISCONNECT_REQUESTED)
				.whenComplete((ignored, error) -> closed.complete(null)));
		return closed;
	}

	public CompletableFuture<Void> send(Message message) {
		return this.c.outbound().send(message);
	}

	/** A send through a session; {@code control} while the session is opening. */
	CompletableFuture<Void> sendOn(AttemptSession session, Message message, boolean control) {
		if (control && this.c.rotation().isStandby(session)) {
			return this.c.rotation().send(session, message);
		}
		return this.c.outbound().send(session, message, control);
	}

	public Subscriptions subscriptions() {
		return this.subscriptions;
	}

	/** The outbound rate limiter, or {@code null} without {@code outbound.rate-limit}. */
	public RateLimiter rateLimiter() {
		return this.c.outbound().rateLimiter();
	}

	boolean isConnected() {
		return state() == CONNECTED;
	}

	public void addListener(ConnectionListener listener) {
		this.c.reporter().add(listener);
	}

	public void removeListener(ConnectionListener listener) {
		this.c.reporter().remove(listener);
	}

	public String circuitBreakerState() {
		return this.c.breaker().stateName();
	}

	public ConnectionSnapshot snapshot() {
		StateMachine.Link now = this.machine.link();
		StreamPosition position = resumePosition();
		DeliveryPipeline delivery = this.c.delivery();
		OutboundPath outbound = this.c.outbound();
		return new ConnectionSnapshot(name(), now.state(), this.machine.since(), this.c.schedule().attempt(),
				this.c.schedule().totalAttempts(), this.machine.lastFailure(), this.c.breaker().stateName(),
				this.c.heartbeat().lastRoundTrip(), this.c.schedule().nextAttemptAt(), delivery.messagesIn(),
				outbound.sent(), outbound.buffered(), (position != null) ? position.value() : null,
				delivery.duplicates(), delivery.gaps(), outbound.dropped(), delivery.queuedMessages(),
				delivery.queuedBytes(), delivery.peakBytes(), this.failures.count(),
				(now.session() != null) ? now.session().pendingOutboundBytes() : 0, this.c.endpoints().currentLabel());
	}

	StreamPosition resumePosition() {
		return this.machine.resumePosition();
	}

	/** Whether the handler and the listeners have nothing left to do. */
	boolean isIdle() {
		return this.c.delivery().queuedMessages() == 0 && this.c.reporter().isIdle();
	}

	/** The session, if one is still open. */
	TransportSession session() {
		return this.machine.link().session();
	}

	int unhandledMessages() {
		return this.c.delivery().queuedMessages();
	}

	void flushResume() {
		if (this.c.resume() != null) {
			this.c.resume().flush();
		}
	}

	/** Writes the resume position now; completes once it is written (never fails). */
	CompletableFuture<Void> flushResumeAsync() {
		return (this.c.resume() != null) ? this.c.resume().flushAsync() : CompletableFuture.completedFuture(null);
	}

	Collaborators collaborators() {
		return this.c;
	}

	StateMachine machine() {
		return this.machine;
	}

	/** Where the outcomes of attempts and sessions go. */
	AttemptSignals signals() {
		return this.signals;
	}

	/** Where the transport's inbound callbacks go. */
	InboundTraffic traffic() {
		return this.traffic;
	}

	private StateMachine.Link link() {
		return this.machine.link();
	}

	private void openSession(AttemptSession session) {
		this.c.sessions().open(session);
	}

	private void setReadable(boolean readable) {
		TransportSession session = link().session();
		if (session != null) {
			session.setReadable(readable);
		}
	}

}
