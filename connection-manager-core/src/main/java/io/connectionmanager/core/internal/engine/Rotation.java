package io.connectionmanager.core.internal.engine;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import io.connectionmanager.core.config.RotationSettings;
import io.connectionmanager.core.event.ConnectionRotated;
import io.connectionmanager.core.runtime.Cancellable;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.state.Trigger;
import io.connectionmanager.core.transport.ConnectRequest;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.core.transport.TransportSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Gapless rotation ({@code max-connection-age}, {@code rotation.drain-message}). With
 * overlap, a standby session is opened beside the CONNECTED one (same connect request
 * hook, resume position, authentication); once the handler has authenticated it, it takes
 * over: its attempt becomes the current one (so whatever still arrives on the old session
 * is dropped), delivery, heartbeat and the outbound queue move to it, the handler's
 * {@code onConnected} runs for it with the subscriptions replayed, and the old session is
 * closed with 1000. Nothing is lost because the standby resumed from the last delivered
 * position, and nothing is delivered twice because resume admission drops what the old
 * session had delivered already. The state stays CONNECTED throughout. Without overlap
 * (or when the standby fails) it is a reconnect: close with 1000, connect again, resume.
 * Confined to the event loop.
 */
final class Rotation {

	private static final Log logger = LogFactory.getLog(Rotation.class);

	private final ConnectionEngine engine;

	private final RotationSettings settings;

	private Cancellable ageTimer = Cancellable.NONE;

	private Cancellable failbackTimer = Cancellable.NONE;

	private Instant connectedAt;

	private Standby standby;

	private Pending reconnecting;

	Rotation(ConnectionEngine engine, RotationSettings settings) {
		this.engine = engine;
		this.settings = settings;
	}

	/** Entry action of CONNECTED: the age clock starts. */
	void connected() {
		Instant now = now();
		if (this.reconnecting != null) {
			report(this.reconnecting, false, now);
			this.reconnecting = null;
		}
		startAgeClock(now);
		startFailbackClock();
	}

	/** Exit action of every state: no age clock and no standby outside CONNECTED. */
	void stop() {
		this.ageTimer.cancel();
		this.ageTimer = Cancellable.NONE;
		this.failbackTimer.cancel();
		this.failbackTimer = Cancellable.NONE;
		dropStandby();
	}

	/** A rotation without overlap did not reach CONNECTED: it is not reported. */
	void abandoned() {
		this.reconnecting = null;
	}

	/** From the handler lane, via the loop: the server asked to drain {@code attempt}. */
	void drain(long attempt) {
		if (attempt == c().attempts().current() && state() == ConnectionState.CONNECTED && this.standby == null) {
			begin(ConnectionRotated.Reason.DRAIN);
		}
	}

	boolean isStandby(long attempt) {
		return this.standby != null && this.standby.attempt == attempt;
	}

	boolean isStandby(AttemptSession session) {
		return this.standby != null && this.standby.session == session;
	}

	/** The standby's handler session, while it authenticates. */
	AttemptSession standbySession(long attempt) {
		return isStandby(attempt) ? this.standby.session : null;
	}

	/** What the standby's handler sends while it authenticates goes straight to it. */
	CompletableFuture<Void> send(AttemptSession session, Message message) {
		Standby current = this.standby;
		if (current == null || current.session != session || current.transport == null) {
			return CompletableFuture.failedFuture(session.ended("message not sent"));
		}
		return current.transport.send(message);
	}

	/** The handler authenticated the standby: it takes over. */
	void standbyAuthenticated(long attempt) {
		if (isStandby(attempt) && state() == ConnectionState.CONNECTED) {
			takeOver(this.standby);
		}
	}

	/**
	 * The standby failed: the rotation falls back to a plain reconnect; a failback stays
	 * where it is and tries again later.
	 */
	void standbyFailed(long attempt, String why) {
		if (!isStandby(attempt)) {
			return;
		}
		Standby failed = this.standby;
		dropStandby();
		if (failed.reason == ConnectionRotated.Reason.FAILBACK) {
			logger.info("Connection '" + c().name() + "': the primary endpoint is still unavailable (" + why
					+ "); staying on " + c().endpoints().currentLabel());
			startFailbackClock();
			return;
		}
		logger.warn("Connection '" + c().name() + "': the new session for the handover failed (" + why
				+ "); reconnecting with resume instead");
		reconnect(failed.reason, failed.startedAt);
	}

	private void startAgeClock(Instant now) {
		this.connectedAt = now;
		this.ageTimer.cancel();
		Duration maxAge = this.settings.maxAge();
		if (maxAge != null) {
			// ±5 %, so that a fleet connected at the same moment does not rotate
			// together.
			double factor = 0.95 + 0.1 * ThreadLocalRandom.current().nextDouble();
			Duration age = Duration.ofMillis(Math.max(1, (long) (maxAge.toMillis() * factor)));
			this.ageTimer = c().executor().schedule(this::ageReached, age);
		}
	}

	/** With {@code ordered} endpoints, on a backup: back to the primary after a while. */
	private void startFailbackClock() {
		this.failbackTimer.cancel();
		if (c().endpoints().wantsFailback()) {
			this.failbackTimer = c().executor().schedule(() -> {
				if (state() == ConnectionState.CONNECTED && this.standby == null && c().endpoints().wantsFailback()) {
					begin(ConnectionRotated.Reason.FAILBACK);
				}
			}, c().settings().endpointFailbackAfter());
		}
	}

	private void ageReached() {
		if (state() == ConnectionState.CONNECTED && this.standby == null) {
			begin(ConnectionRotated.Reason.MAX_AGE);
		}
	}

	private void begin(ConnectionRotated.Reason reason) {
		Instant startedAt = now();
		if (!this.settings.overlap()) {
			reconnect(reason, startedAt);
			return;
		}
		URI endpoint = (reason == ConnectionRotated.Reason.FAILBACK) ? c().endpoints().primary()
				: c().endpoints().current();
		Standby next = new Standby(c().attempts().reserve(), reason, startedAt, endpoint);
		this.standby = next;
		Duration limit = c().settings().connectTimeout().plus(c().settings().authenticationTimeout());
		next.timer = c().executor()
			.schedule(() -> standbyFailed(next.attempt, "not authenticated within " + limit), limit);
		c().connectRequests()
			.make(this.engine.resumePosition(), next.endpoint)
			.whenComplete((request, error) -> c().executor().runOrExecute(() -> {
				if (this.standby != next) {
					return;
				}
				if (error != null) {
					standbyFailed(next.attempt, "connect request: " + error);
				}
				else {
					open(next, request);
				}
			}));
	}

	private void open(Standby next, ConnectRequest request) {
		c().attempts()
			.openBeside(next.attempt, request)
			.whenComplete((opened, error) -> c().executor().runOrExecute(() -> {
				if (this.standby != next) {
					if (opened != null) {
						opened.abort();
					}
					return;
				}
				if (error != null) {
					standbyFailed(next.attempt, String.valueOf(error));
					return;
				}
				next.transport = opened;
				next.session = c().sessions().beginStandby(next.attempt, c().schedule().attempt());
			}));
	}

	private void takeOver(Standby next) {
		this.standby = null;
		next.timer.cancel();
		Instant now = now();
		Duration oldAge = (this.connectedAt != null) ? Duration.between(this.connectedAt, now) : Duration.ZERO;
		TransportSession old = this.engine.machine().takeOver(next.attempt, next.transport);
		c().endpoints().movedTo(next.endpoint);
		c().sessions().handOver(next.session);
		if (old != null) {
			old.close(StateMachine.NORMAL_CLOSURE, "rotated to a new session");
		}
		// A session that lived to its age limit was stable: the backoff starts afresh.
		c().schedule().stable();
		report(new Pending(next.reason, next.startedAt, oldAge), true, now);
		startAgeClock(now);
		startFailbackClock();
	}

	/**
	 * Break before make: close with 1000, connect again at once, resume covers the gap.
	 */
	private void reconnect(ConnectionRotated.Reason reason, Instant startedAt) {
		Duration oldAge = (this.connectedAt != null) ? Duration.between(this.connectedAt, startedAt) : Duration.ZERO;
		this.engine.machine().request(Trigger.RECONNECT_REQUESTED);
		// Set after the transition: leaving CONNECTED resets it for other causes.
		this.reconnecting = new Pending(reason, startedAt, oldAge);
	}

	private void report(Pending rotation, boolean overlapped, Instant now) {
		Duration handover = Duration.between(rotation.startedAt(), now);
		logger.info("Connection '" + c().name() + "' rotated to a new session (" + rotation.reason() + ", "
				+ (overlapped ? "overlapped" : "reconnected") + ", handover " + handover.toMillis() + " ms)");
		c().reporter()
			.rotated(new ConnectionRotated(c().name(), rotation.reason(), overlapped, rotation.oldAge(), handover, now,
					c().endpoints().currentLabel()));
	}

	private void dropStandby() {
		Standby dropped = this.standby;
		if (dropped == null) {
			return;
		}
		this.standby = null;
		dropped.timer.cancel();
		if (dropped.session != null) {
			dropped.session.end();
		}
		if (dropped.transport != null) {
			dropped.transport.abort();
		}
	}

	private Collaborators c() {
		return this.engine.collaborators();
	}

	private ConnectionState state() {
		return this.engine.state();
	}

	private Instant now() {
		return c().executor().clock().instant();
	}

	/** A rotation under way without overlap: reported once CONNECTED again. */
	private record Pending(ConnectionRotated.Reason reason, Instant startedAt, Duration oldAge) {
	}

	/** The second session of an overlapping handover. */
	private static final class Standby {

		private final long attempt;

		private final ConnectionRotated.Reason reason;

		private final Instant startedAt;

		private final URI endpoint;

		private Cancellable timer = Cancellable.NONE;

		private TransportSession transport;

		private AttemptSession session;

		Standby(long attempt, ConnectionRotated.Reason reason, Instant startedAt, URI endpoint) {
			this.attempt = attempt;
			this.reason = reason;
			this.startedAt = startedAt;
			this.endpoint = endpoint;
		}

	}

}
