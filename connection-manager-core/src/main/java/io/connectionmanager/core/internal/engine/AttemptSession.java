package io.connectionmanager.core.internal.engine;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.connectionmanager.core.handler.AuthenticationContext;
import io.connectionmanager.core.handler.SessionEndedException;
import io.connectionmanager.core.handler.Subscriptions;
import io.connectionmanager.core.resume.StreamPosition;
import io.connectionmanager.core.transport.Message;

/**
 * One transport session as the handler sees it, from authentication to its loss: the
 * {@code AuthenticationContext} of its attempt, and the {@code ConnectionSession} of
 * every later callback. Its verdict counts only while its attempt is still the one
 * authenticating; its sends and requests belong to it and fail once it has ended.
 */
final class AttemptSession implements AuthenticationContext {

	private final ConnectionEngine engine;

	private final long attempt;

	private final int attemptNumber;

	private final PendingRequests requests;

	/** The handler's verdict, as soon as it gives one (on whatever thread). */
	private volatile Outcome outcome = Outcome.PENDING;

	/**
	 * Until {@code onConnected} and the subscription replay are done, sends go before the
	 * application queue.
	 */
	private volatile boolean opening = true;

	private volatile boolean ended;

	/** Whether {@code onConnected} ran; read and written on the handler lane only. */
	private boolean connected;

	enum Outcome {

		PENDING, SUCCEEDED, FAILED

	}

	AttemptSession(ConnectionEngine engine, long attempt, int attemptNumber, PendingRequests requests) {
		this.engine = engine;
		this.attempt = attempt;
		this.attemptNumber = attemptNumber;
		this.requests = requests;
	}

	long attemptId() {
		return this.attempt;
	}

	PendingRequests requests() {
		return this.requests;
	}

	@Override
	public String connectionName() {
		return this.engine.name();
	}

	@Override
	public int attempt() {
		return this.attemptNumber;
	}

	@Override
	public StreamPosition resumePosition() {
		return this.engine.resumePosition();
	}

	@Override
	public CompletableFuture<Void> send(Message message) {
		if (message == null) {
			return CompletableFuture.failedFuture(new NullPointerException("message"));
		}
		if (this.ended) {
			return CompletableFuture.failedFuture(ended("message not sent"));
		}
		return this.engine.sendOn(this, message, this.opening);
	}

	@Override
	public CompletableFuture<Message> request(Message message, Duration timeout) {
		if (this.ended) {
			return CompletableFuture.failedFuture(ended("request not sent"));
		}
		return this.requests.request(message, timeout, this::send);
	}

	@Override
	public Subscriptions subscriptions() {
		return this.engine.subscriptions();
	}

	@Override
	public boolean isOpen() {
		return !this.ended;
	}

	@Override
	public void close(String reason) {
		if (!this.ended) {
			this.engine.signals().closeSession(this, reason);
		}
	}

	/**
	 * What the handler said so far. Messages queued behind the verdict follow it: to
	 * {@code onMessage} after a success even before the engine has moved to CONNECTED.
	 */
	Outcome outcome() {
		return this.outcome;
	}

	@Override
	public void succeed() {
		this.outcome = Outcome.SUCCEEDED;
		this.engine.signals().authenticated(this.attempt);
	}

	@Override
	public void reject(String reason) {
		this.outcome = Outcome.FAILED;
		this.engine.signals().authenticationRejected(this.attempt, reason);
	}

	@Override
	public void fail(String reason) {
		this.outcome = Outcome.FAILED;
		this.engine.signals().authenticationFailed(this.attempt, reason);
	}

	/** On the lane: {@code onConnected} is about to run; false if it already did. */
	boolean markConnected() {
		if (this.connected || this.ended) {
			return false;
		}
		this.connected = true;
		return true;
	}

	/**
	 * On the lane: whether {@code onConnected} ran (so {@code onDisconnected} is due).
	 */
	boolean wasConnected() {
		return this.connected;
	}

	/** The opening is done: later sends join the application queue. */
	void opened() {
		this.opening = false;
	}

	boolean isOpening() {
		return this.opening;
	}

	/** On the event loop, when the session is dropped. */
	void end() {
		this.ended = true;
	}

	SessionEndedException ended(String what) {
		return new SessionEndedException(connectionName(), this.attemptNumber, this.engine.state(), what);
	}

}
