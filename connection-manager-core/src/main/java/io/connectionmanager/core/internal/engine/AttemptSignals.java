package io.connectionmanager.core.internal.engine;

import java.time.Duration;
import java.util.concurrent.CancellationException;

import io.connectionmanager.core.config.SilenceSettings;
import io.connectionmanager.core.event.DataSilence;
import io.connectionmanager.core.event.HeartbeatMissed;
import io.connectionmanager.core.event.SequenceGap;
import io.connectionmanager.core.failure.Failure;
import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.core.state.Trigger;
import io.connectionmanager.core.transport.TransportSession;

import static io.connectionmanager.core.state.ConnectionState.AUTHENTICATING;
import static io.connectionmanager.core.state.ConnectionState.CONNECTED;
import static io.connectionmanager.core.state.ConnectionState.CONNECTING;
import static io.connectionmanager.core.state.Trigger.AUTH_FAILED;
import static io.connectionmanager.core.state.Trigger.AUTH_SUCCEEDED;
import static io.connectionmanager.core.state.Trigger.FATAL_FAILURE;
import static io.connectionmanager.core.state.Trigger.HEARTBEAT_MISSED;
import static io.connectionmanager.core.state.Trigger.TRANSPORT_CLOSED;
import static io.connectionmanager.core.state.Trigger.TRANSPORT_FAILED;

/**
 * What each outcome of an attempt and its session means for the state machine: the
 * transport opened or failed, the handler authenticated or refused, the peer closed, a
 * heartbeat or the data went silent, the handler asked for a replay. Each signal carries
 * its attempt's number; a signal from an attempt that is no longer the latest (or from a
 * state it no longer applies to) is dropped here, so the {@link StateMachine} only ever
 * sees triggers of the attempt in progress. Runs on the event loop (signals from other
 * threads are posted to it).
 */
final class AttemptSignals {

	private static final int GOING_AWAY = 1001;

	private final Collaborators c;

	private final StateMachine machine;

	AttemptSignals(Collaborators collaborators, StateMachine machine) {
		this.c = collaborators;
		this.machine = machine;
	}

	boolean isCurrentAttempt(long attempt) {
		return attempt == this.c.attempts().current();
	}

	void openCompleted(long attempt, TransportSession opened, Throwable error) {
		if (!this.machine.isCurrent(attempt, CONNECTING)) {
			if (opened != null) {
				opened.abort();
			}
			return;
		}
		this.c.attempts().cancelTimer();
		if (error != null) {
			if (!(error instanceof CancellationException)) {
				Failure failure = this.c.classifier().classify(error);
				this.c.schedule().serverFloor(this.c.serverDelay().of(failure));
				this.machine.attemptFailed(failure, TRANSPORT_FAILED);
			}
			return;
		}
		if (this.c.delivery().isReadingPaused()) {
			opened.setReadable(false);
		}
		this.machine.opened(opened);
	}

	/** The handler's connect request hook failed for this attempt. */
	void connectRequestFailed(long attempt, Throwable error) {
		if (this.machine.isCurrent(attempt, CONNECTING) && !(error instanceof CancellationException)) {
			this.c.attempts().cancelTimer();
			this.machine.attemptFailed(this.c.connectRequests().failure(error), TRANSPORT_FAILED);
		}
	}

	void connectTimedOut(long attempt) {
		if (this.machine.isCurrent(attempt, CONNECTING)) {
			this.machine.attemptFailed(
					this.c.classifier()
						.of(FailureKind.CONNECT_TIMEOUT,
								"not connected within connect-timeout " + this.c.settings().connectTimeout()),
					TRANSPORT_FAILED);
		}
	}

	void authenticated(long attempt) {
		this.c.executor().runOrExecute(() -> {
			if (this.c.rotation().isStandby(attempt)) {
				this.c.rotation().standbyAuthenticated(attempt);
			}
			else if (this.machine.isCurrent(attempt, AUTHENTICATING)) {
				this.machine.fire(AUTH_SUCCEEDED, null);
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
		this.c.executor().runOrExecute(() -> {
			if (this.c.rotation().isStandby(attempt)) {
				this.c.rotation().standbyFailed(attempt, detail);
			}
			else if (this.machine.isCurrent(attempt, AUTHENTICATING)) {
				this.machine.attemptFailed(this.c.classifier().of(kind, detail), AUTH_FAILED);
			}
		});
	}

	void closedByPeer(long attempt, int code, String reason) {
		if (this.c.rotation().isStandby(attempt)) {
			this.c.rotation().standbyFailed(attempt, "closed by the server with " + code + " " + reason);
			return;
		}
		if (isCurrentAttempt(attempt) && this.machine.state().hasSession()) {
			this.c.schedule().serverFloor(this.c.serverDelay().ofClose(code, reason));
			if (code == GOING_AWAY) {
				// The server's own rotation or restart: the session is gone, but nothing
				// failed, so the first attempt goes at once.
				this.c.schedule().immediately();
			}
		}
		sessionLost(attempt, this.c.classifier().closedByPeer(code, reason), TRANSPORT_CLOSED);
	}

	/** The handler ends its session ({@code session.close}). */
	void closeSession(AttemptSession session, String reason) {
		this.c.executor().execute(() -> {
			if (this.c.rotation().isStandby(session)) {
				this.c.rotation().standbyFailed(session.attemptId(), "the handler closed it: " + reason);
			}
			else if (session == this.c.sessions().current()) {
				sessionLost(session.attemptId(),
						this.c.classifier().of(FailureKind.SESSION_CLOSED, "the handler closed the session: " + reason),
						TRANSPORT_CLOSED);
			}
		});
	}

	void sessionFailed(long attempt, Throwable error) {
		if (this.c.rotation().isStandby(attempt)) {
			this.c.rotation().standbyFailed(attempt, String.valueOf(error));
			return;
		}
		sessionLost(attempt, this.c.classifier().classify(error), TRANSPORT_FAILED);
	}

	private void sessionLost(long attempt, Failure failure, Trigger retryable) {
		if (!isCurrentAttempt(attempt) || !this.machine.state().hasSession()) {
			return;
		}
		if (this.machine.state() == AUTHENTICATING) {
			this.machine.attemptFailed(failure, retryable);
		}
		else {
			this.machine.fire(failure.fatal() ? FATAL_FAILURE : retryable, failure);
		}
	}

	void writabilityChanged(long attempt, boolean writable) {
		if (writable && isCurrentAttempt(attempt) && this.machine.state().hasSession()) {
			this.c.outbound().pump();
		}
	}

	/** From the watchdog: no application message for {@code inbound.max-silence}. */
	void dataSilence(Duration silentFor) {
		if (this.machine.state() != CONNECTED) {
			return;
		}
		this.c.reporter().dataSilence(new DataSilence(this.c.name(), silentFor, this.c.executor().clock().instant()));
		SilenceSettings silence = this.c.settings().inbound().silence();
		if (silence.onSilence() == SilenceSettings.OnSilence.RECONNECT) {
			this.machine.fire(TRANSPORT_FAILED,
					this.c.classifier()
						.of(FailureKind.DATA_SILENCE, "no application message for " + silentFor.toMillis()
								+ " ms (inbound.max-silence " + silence.maxSilence() + "); pings were answered"));
		}
	}

	void heartbeatMissed() {
		if (this.machine.state() != CONNECTED) {
			return;
		}
		Duration timeout = this.c.settings().heartbeat().timeout();
		this.c.reporter()
			.heartbeatMissed(new HeartbeatMissed(this.c.name(), timeout, this.c.executor().clock().instant()));
		this.machine.fire(HEARTBEAT_MISSED, this.c.classifier()
			.of(FailureKind.HEARTBEAT_TIMEOUT, "no pong or other inbound traffic within " + timeout + " after a ping"));
	}

	/** From the handler lane: the server asked {@code attempt}'s session to drain. */
	void drain(long attempt) {
		this.c.executor().execute(() -> this.c.rotation().drain(attempt));
	}

	/** From the handler lane: the handler wants a gap replayed. */
	void replay(long attempt, SequenceGap gap) {
		this.c.executor().execute(() -> {
			if (this.machine.isCurrent(attempt, CONNECTED)) {
				this.machine.fire(TRANSPORT_FAILED,
						this.c.classifier()
							.of(FailureKind.SEQUENCE_GAP, "positions " + gap.firstMissing() + ".." + gap.lastMissing()
									+ " missing; resuming to replay them"));
			}
		});
	}

}
