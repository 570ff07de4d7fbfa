package io.connectionmanager.core.internal.engine;

import java.util.concurrent.CompletableFuture;

import io.connectionmanager.core.AuthenticationContext;
import io.connectionmanager.core.resume.StreamPosition;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.core.transport.TransportSession;

/**
 * The authentication step of one attempt, as the handler sees it. Its verdict counts only
 * while that attempt is still the one authenticating.
 */
final class Authentication implements AuthenticationContext {

	private final ConnectionEngine engine;

	private final long attempt;

	private final int attemptNumber;

	private final TransportSession session;

	/** The handler's verdict, as soon as it gives one (on whatever thread). */
	private volatile Outcome outcome = Outcome.PENDING;

	enum Outcome {

		PENDING, SUCCEEDED, FAILED

	}

	Authentication(ConnectionEngine engine, long attempt, int attemptNumber, TransportSession session) {
		this.engine = engine;
		this.attempt = attempt;
		this.attemptNumber = attemptNumber;
		this.session = session;
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
		return this.session.send(message);
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
		this.engine.authenticated(this.attempt);
	}

	@Override
	public void reject(String reason) {
		this.outcome = Outcome.FAILED;
		this.engine.authenticationRejected(this.attempt, reason);
	}

	@Override
	public void fail(String reason) {
		this.outcome = Outcome.FAILED;
		this.engine.authenticationFailed(this.attempt, reason);
	}

}
