package io.connectionmanager.core.engine;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

import io.connectionmanager.core.handler.ApplicationHeartbeat;
import io.connectionmanager.core.handler.AuthenticationContext;
import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.outbound.NotConnectedException;
import io.connectionmanager.core.backoff.Jitter;
import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.config.ReconnectSettings;
import io.connectionmanager.core.event.StateChange;
import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.core.failure.UpgradeRejectedException;
import io.connectionmanager.core.state.Trigger;
import io.connectionmanager.core.testing.RecordingListener;
import io.connectionmanager.core.testing.ScriptedTransport;
import io.connectionmanager.core.testing.VirtualTimeExecutor;
import io.connectionmanager.core.transport.Message;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;

import static io.connectionmanager.core.state.ConnectionState.AUTHENTICATING;
import static io.connectionmanager.core.state.ConnectionState.CONNECTED;
import static io.connectionmanager.core.state.ConnectionState.CONNECTING;
import static io.connectionmanager.core.state.ConnectionState.DISCONNECTED;
import static io.connectionmanager.core.state.ConnectionState.FATAL;
import static io.connectionmanager.core.state.ConnectionState.RECONNECTING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The engine on virtual time with a hand-driven transport: every timing rule,
 * deterministically.
 */
class ManagedConnectionTests {

	private final VirtualTimeExecutor executor = new VirtualTimeExecutor();

	private final ScriptedTransport transport = new ScriptedTransport();

	private final RecordingListener listener = new RecordingListener();

	private ConnectionSettings.Builder settings() {
		return ConnectionSettings.builder("feed")
			.url("ws://127.0.0.1:9/stream")
			.connectTimeout(Duration.ofSeconds(5))
			.authenticationTimeout(Duration.ofSeconds(3))
			.reconnect(new ReconnectSettings(Duration.ofSeconds(1), Duration.ofSeconds(8), 2.0, Jitter.NONE, -1,
					Duration.ofSeconds(30)))
			.heartbeat(new HeartbeatSettings(true, Duration.ofSeconds(15), Duration.ofSeconds(10)))
			.circuitBreaker(CircuitBreakerSettings.disabled());
	}

	private ManagedConnection connection(ConnectionSettings.Builder settings, ConnectionHandler handler) {
		return ManagedConnection.builder(settings.build())
			.executor(this.executor)
			.transport(this.transport)
			.handler(handler)
			.random(new SplittableRandom(1))
			.listener(this.listener)
			.build();
	}

	private ManagedConnection connected() {
		ManagedConnection connection = connection(settings(), ConnectionHandler.NONE);
		connection.connect();
		this.executor.runPending();
		this.transport.last().open();
		this.executor.runPending();
		assertThat(connection.state()).isEqualTo(CONNECTED);
		return connection;
	}

	@Test
	void connectGoesThroughAuthenticatingToConnectedAndReportsEachStep() {
		connected();
		assertThat(this.listener.states()).containsExactly(CONNECTING, AUTHENTICATING, CONNECTED);
		StateChange first = this.listener.changes.get(0);
		assertThat(first.previous()).isEqualTo(DISCONNECTED);
		assertThat(first.trigger()).isEqualTo(Trigger.CONNECT_REQUESTED);
		assertThat(first.attempt()).isEqualTo(1);
		assertThat(this.transport.last().request.uri().toString()).isEqualTo("ws://127.0.0.1:9/stream");
	}

	@Test
	void retryableFailuresBackOffExponentiallyUpToTheCap() {
		ManagedConnection connection = connection(settings(), ConnectionHandler.NONE);
		connection.connect();
		this.executor.runPending();
		for (int i = 0; i < 6; i++) {
			this.transport.last().fail(new ConnectException("Connection refused"));
			this.executor.runPending();
			assertThat(connection.state()).isEqualTo(RECONNECTING);
			Duration delay = this.listener.changes.get(this.listener.changes.size() - 1).retryIn();
			int attemptsBefore = this.transport.attempts().size();
			this.executor.advance(delay.minusMillis(1));
			assertThat(this.transport.attempts()).hasSize(attemptsBefore);
			this.executor.advance(Duration.ofMillis(1));
			assertThat(this.transport.attempts()).hasSize(attemptsBefore + 1);
		}
		List<Long> delays = this.listener.changes.stream()
			.filter((change) -> change.retryIn() != null)
			.map((change) -> change.retryIn().toMillis())
			.toList();
		assertThat(delays).containsExactly(1000L, 2000L, 4000L, 8000L, 8000L, 8000L);
		assertThat(connection.snapshot().lastFailure().kind()).isEqualTo(FailureKind.CONNECTION_REFUSED);
		assertThat(connection.snapshot().attempt()).isEqualTo(7);
	}

	@Test
	void aFatalUpgradeStatusStopsRetryingUntilAnExplicitConnect() {
		ManagedConnection connection = connection(settings(), ConnectionHandler.NONE);
		connection.connect();
		this.executor.runPending();
		this.transport.last().fail(new UpgradeRejectedException(401, "Unauthorized", null));
		this.executor.runPending();
		assertThat(connection.state()).isEqualTo(FATAL);
		assertThat(connection.snapshot().lastFailure().httpStatus()).isEqualTo(401);
		this.executor.advance(Duration.ofHours(1));
		assertThat(this.transport.attempts()).hasSize(1);
		assertThat(this.executor.scheduledTimers()).isZero();

		connection.connect();
		this.executor.runPending();
		assertThat(connection.state()).isEqualTo(CONNECTING);
		assertThat(this.transport.attempts()).hasSize(2);
	}

	@Test
	void aServerErrorOnTheUpgradeIsRetried() {
		ManagedConnection connection = connection(settings(), ConnectionHandler.NONE);
		connection.connect();
		this.executor.runPending();
		this.transport.last().fail(new UpgradeRejectedException(503, "Service Unavailable", "5"));
		this.executor.runPending();
		assertThat(connection.state()).isEqualTo(RECONNECTING);
		assertThat(connection.snapshot().lastFailure().fatal()).isFalse();
	}

	@Test
	void anAttemptThatHangsTimesOutAndIsCancelled() {
		ManagedConnection connection = connection(settings(), ConnectionHandler.NONE);
		connection.connect();
		this.executor.runPending();
		this.executor.advance(Duration.ofSeconds(5));
		assertThat(connection.state()).isEqualTo(RECONNECTING);
		assertThat(connection.snapshot().lastFailure().kind()).isEqualTo(FailureKind.CONNECT_TIMEOUT);
		assertThat(this.transport.attempts().get(0).future).isCancelled();
	}

	@Test
	void aLateSessionFromACancelledAttemptIsDropped() {
		ManagedConnection connection = connection(settings(), ConnectionHandler.NONE);
		connection.connect();
		this.executor.runPending();
		ScriptedTransport.Attempt stale = this.transport.last();
		connection.reconnect();
		// The first attempt's session arrives after the application asked to reconnect
		// but before the event loop acted on it: too late to be cancelled.
		stale.open();
		this.executor.runPending();
		assertThat(this.transport.attempts()).hasSize(2);
		assertThat(stale.session.aborted).as("the stale session is aborted").isTrue();
		assertThat(stale.session.sent).isEmpty();
		assertThat(connection.state()).isEqualTo(CONNECTING);
		// Nothing from the stale attempt counts any more; the new attempt carries on.
		stale.listener.onClosed(1000, "late");
		this.executor.runPending();
		assertThat(connection.state()).isEqualTo(CONNECTING);
		this.transport.last().open();
		this.executor.runPending();
		assertThat(connection.state()).isEqualTo(CONNECTED);
		assertThat(this.transport.last().session.aborted).isFalse();
		assertThat(this.listener.changes.stream().filter((change) -> change.trigger() == Trigger.TRANSPORT_OPENED))
			.hasSize(1);
	}

	@Test
	void authenticationIsBoundedByItsOwnTimeout() {
		ManagedConnection connection = connection(settings(), new ConnectionHandler() {
			@Override
			public void authenticate(AuthenticationContext authentication) {
				authentication.send(Message.text("{\"op\":\"auth\"}"));
			}
		});
		connection.connect();
		this.executor.runPending();
		this.transport.last().open();
		this.executor.runPending();
		assertThat(connection.state()).isEqualTo(AUTHENTICATING);
		assertThat(this.transport.last().session.sent).containsExactly(Message.text("{\"op\":\"auth\"}"));
		this.executor.advance(Duration.ofSeconds(3));
		assertThat(connection.state()).isEqualTo(RECONNECTING);
		assertThat(connection.snapshot().lastFailure().kind()).isEqualTo(FailureKind.AUTH_TIMEOUT);
		assertThat(this.transport.attempts().get(0).session.aborted).isTrue();
	}

	@Test
	void authenticationCompletesWhenThePeerAnswers() {
		ConnectionHandler handler = new ConnectionHandler() {
			@Override
			public void authenticate(AuthenticationContext authentication) {
				authentication.send(Message.text("auth"));
			}

			@Override
			public void onAuthenticationMessage(AuthenticationContext authentication, Message message) {
				if (message.equals(Message.text("ok"))) {
					authentication.succeed();
				}
				else {
					authentication.reject("bad token");
				}
			}
		};
		ManagedConnection connection = connection(settings(), handler);
		connection.connect();
		this.executor.runPending();
		this.transport.last().open();
		this.executor.runPending();
		this.transport.last().listener.onMessage(Message.text("ok"));
		this.executor.runPending();
		assertThat(connection.state()).isEqualTo(CONNECTED);

		connection.reconnect();
		this.executor.runPending();
		this.transport.last().open();
		this.executor.runPending();
		this.transport.last().listener.onMessage(Message.text("denied"));
		this.executor.runPending();
		assertThat(connection.state()).isEqualTo(FATAL);
		assertThat(connection.snapshot().lastFailure().kind()).isEqualTo(FailureKind.AUTH_REJECTED);
		assertThat(this.transport.last().session.closedWith).isEqualTo(1000);
	}

	@Test
	void aMissedHeartbeatReconnectsWithinIntervalPlusTimeout() {
		ManagedConnection connection = connected();
		ScriptedTransport.Session session = this.transport.last().session;
		this.executor.advance(Duration.ofSeconds(15));
		assertThat(session.pings).isEqualTo(1);
		this.executor.advance(Duration.ofSeconds(10));
		assertThat(connection.state()).isEqualTo(RECONNECTING);
		assertThat(this.listener.heartbeatsMissed).hasSize(1);
		assertThat(connection.snapshot().lastFailure().kind()).isEqualTo(FailureKind.HEARTBEAT_TIMEOUT);
		assertThat(session.aborted).isTrue();
	}

	@Test
	void applicationHeartbeatsAreSentAsMessagesAndTheirPongsAreConsumed() {
		List<Message> delivered = new java.util.ArrayList<>();
		ConnectionHandler handler = new ConnectionHandler() {
			@Override
			public ApplicationHeartbeat applicationHeartbeat() {
				return new ApplicationHeartbeat() {
					@Override
					public Message ping() {
						return Message.text("ping");
					}

					@Override
					public boolean isPong(Message message) {
						return message.equals(Message.text("pong"));
					}
				};
			}

			@Override
			public void onMessage(Message message) {
				delivered.add(message);
			}
		};
		ManagedConnection connection = connection(settings(), handler);
		connection.connect();
		this.executor.runPending();
		this.transport.last().open();
		this.executor.runPending();
		ScriptedTransport.Attempt attempt = this.transport.last();
		this.executor.advance(Duration.ofSeconds(15));
		assertThat(attempt.session.sent).containsExactly(Message.text("ping"));
		this.executor.advance(Duration.ofMillis(30));
		attempt.listener.onMessage(Message.text("pong"));
		attempt.listener.onMessage(Message.text("tick"));
		this.executor.runPending();
		this.executor.advance(Duration.ofSeconds(10));
		assertThat(connection.state()).isEqualTo(CONNECTED);
		assertThat(delivered).containsExactly(Message.text("tick"));
		assertThat(connection.snapshot().heartbeatRoundTrip()).isEqualTo(Duration.ofMillis(30));
	}

	@Test
	void aPeerCloseReconnectsAndAFatalCloseCodeDoesNot() {
		ManagedConnection connection = connected();
		this.transport.last().listener.onClosed(1001, "going away");
		this.executor.runPending();
		assertThat(connection.state()).isEqualTo(RECONNECTING);

		this.executor.advance(Duration.ofSeconds(1));
		this.transport.last().open();
		this.executor.runPending();
		this.transport.last().listener.onClosed(1008, "policy violation");
		this.executor.runPending();
		assertThat(connection.state()).isEqualTo(FATAL);
		assertThat(connection.snapshot().lastFailure().closeCode()).isEqualTo(1008);
	}

	@Test
	void theBackOffSequenceResetsOnlyAfterTheConnectionWasStable() {
		ManagedConnection connection = connection(settings().heartbeat(HeartbeatSettings.disabled()),
				ConnectionHandler.NONE);
		connection.connect();
		this.executor.runPending();
		this.transport.last().fail(new ConnectException("refused"));
		this.executor.runPending();
		this.executor.advance(Duration.ofSeconds(1));
		this.transport.last().open();
		this.executor.runPending();
		// Flapping: dropped right after connecting, so the sequence continues (2 s, not 1
		// s).
		this.transport.last().listener.onError(new IOException("Connection reset by peer"));
		this.executor.runPending();
		assertThat(lastRetryIn()).isEqualTo(Duration.ofSeconds(2));
		this.executor.advance(Duration.ofSeconds(2));
		this.transport.last().open();
		this.executor.runPending();
		this.executor.advance(Duration.ofSeconds(30));
		assertThat(connection.snapshot().attempt()).isZero();
		this.transport.last().listener.onError(new IOException("Connection reset by peer"));
		this.executor.runPending();
		assertThat(lastRetryIn()).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void maxAttemptsEndsInFatal() {
		ManagedConnection connection = connection(settings().reconnect(new ReconnectSettings(Duration.ofSeconds(1),
				Duration.ofSeconds(1), 1.0, Jitter.NONE, 2, Duration.ofSeconds(30))), ConnectionHandler.NONE);
		connection.connect();
		this.executor.runPending();
		for (int i = 0; i < 3; i++) {
			this.transport.last().fail(new ConnectException("refused"));
			this.executor.advance(Duration.ofSeconds(1));
		}
		assertThat(connection.state()).isEqualTo(FATAL);
		assertThat(this.transport.attempts()).hasSize(3);
		assertThat(connection.snapshot().lastFailure().kind()).isEqualTo(FailureKind.RETRIES_EXHAUSTED);
	}

	@Test
	void theBreakerOpensAfterItsThresholdBlocksAttemptsAndAProbeClosesIt() {
		ManagedConnection connection = connection(
				settings().circuitBreaker(new CircuitBreakerSettings(true, 50, 3, 3, Duration.ofSeconds(60), 1, 0.0)),
				ConnectionHandler.NONE);
		connection.connect();
		this.executor.runPending();
		for (int i = 0; i < 3; i++) {
			this.transport.last().fail(new ConnectException("refused"));
			this.executor.runPending();
			if (i < 2) {
				this.executor.advance(lastRetryIn());
			}
		}
		assertThat(connection.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
		// Opened at the third failure; the first retry finds it open and waits for the
		// half-open probe.
		this.executor.advance(Duration.ofSeconds(59));
		assertThat(this.transport.attempts()).hasSize(3);
		assertThat(connection.state()).isEqualTo(RECONNECTING);
		assertThat(connection.snapshot().circuitBreakerState()).isEqualTo("OPEN");
		assertThat(this.listener.changes).noneMatch((change) -> change.trigger() == Trigger.BACKOFF_ELAPSED
				&& change.timestamp().isAfter(this.listener.changes.get(5).timestamp()));

		this.executor.advance(Duration.ofSeconds(2));
		assertThat(this.transport.attempts()).hasSize(4);
		assertThat(connection.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
		assertThat(this.listener.changes.get(this.listener.changes.size() - 1).trigger())
			.isEqualTo(Trigger.CIRCUIT_HALF_OPEN);
		this.transport.last().open();
		this.executor.runPending();
		assertThat(connection.state()).isEqualTo(CONNECTED);
		assertThat(connection.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
	}

	@Test
	void aFailedProbeReopensTheBreaker() {
		ManagedConnection connection = connection(
				settings().circuitBreaker(new CircuitBreakerSettings(true, 50, 2, 2, Duration.ofSeconds(30), 1, 0.0)),
				ConnectionHandler.NONE);
		connection.connect();
		this.executor.runPending();
		this.transport.last().fail(new ConnectException("refused"));
		this.executor.runPending();
		this.executor.advance(lastRetryIn());
		this.transport.last().fail(new ConnectException("refused"));
		this.executor.runPending();
		this.executor.advance(Duration.ofSeconds(31));
		assertThat(this.transport.attempts()).hasSize(3);
		this.transport.last().fail(new ConnectException("refused"));
		this.executor.runPending();
		assertThat(connection.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
		this.executor.advance(Duration.ofSeconds(29));
		assertThat(this.transport.attempts()).hasSize(3);
	}

	/**
	 * The open-state wait is drawn from wait × (1 ± factor) each time the breaker opens:
	 * never a probe before the lower end, always one by the upper end.
	 */
	@Test
	void theProbeComesWithinTheRandomizedOpenStateWait() {
		ManagedConnection connection = connection(
				settings().circuitBreaker(new CircuitBreakerSettings(true, 50, 1, 1, Duration.ofSeconds(60), 1, 0.5)),
				ConnectionHandler.NONE);
		connection.connect();
		this.executor.runPending();
		this.transport.last().fail(new ConnectException("refused"));
		this.executor.runPending();
		assertThat(connection.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
		Instant openedAt = this.executor.clock().instant();
		this.executor.advance(Duration.ofSeconds(90).plusMillis(1));
		assertThat(this.transport.attempts()).hasSizeGreaterThanOrEqualTo(2);
		StateChange probe = this.listener.changes.stream()
			.filter((change) -> change.trigger() == Trigger.CIRCUIT_HALF_OPEN)
			.findFirst()
			.orElseThrow();
		assertThat(Duration.between(openedAt, probe.timestamp())).isBetween(Duration.ofSeconds(30),
				Duration.ofSeconds(90));
	}

	@Test
	void sendOutsideConnectedFailsFastAndInsideGoesToTheTransport() {
		ManagedConnection connection = connection(settings(), ConnectionHandler.NONE);
		assertThat(connection.send("early")).failsWithin(Duration.ZERO)
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.havingCause()
			.isInstanceOf(NotConnectedException.class)
			.withMessageContaining("DISCONNECTED");
		connection.connect();
		this.executor.runPending();
		assertThat(connection.send("early")).failsWithin(Duration.ZERO)
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.havingCause()
			.isInstanceOf(NotConnectedException.class)
			.withMessageContaining("CONNECTING");
		this.transport.last().open();
		this.executor.runPending();
		connection.send("hello");
		// Only the event loop writes: a send from another thread is queued for it.
		this.executor.runPending();
		assertThat(this.transport.last().session.sent).containsExactly(Message.text("hello"));
		assertThat(connection.snapshot().messagesOut()).isEqualTo(1);
	}

	@Test
	void disconnectClosesWithNormalClosureAndStopsEveryTimer() {
		ManagedConnection connection = connected();
		connection.disconnect();
		this.executor.runPending();
		assertThat(connection.state()).isEqualTo(DISCONNECTED);
		assertThat(this.transport.last().session.closedWith).isEqualTo(1000);
		assertThat(this.executor.scheduledTimers()).isZero();
		this.executor.advance(Duration.ofHours(1));
		assertThat(this.transport.attempts()).hasSize(1);
	}

	@Test
	void aRequestedReconnectClosesTheOldSessionGracefully() {
		ManagedConnection connection = connected();
		ScriptedTransport.Session old = this.transport.last().session;
		connection.reconnect();
		this.executor.runPending();
		assertThat(old.closedWith).isEqualTo(1000);
		assertThat(old.aborted).isFalse();
		assertThat(connection.state()).isEqualTo(CONNECTING);
		assertThat(this.transport.attempts()).hasSize(2);
	}

	@Test
	void disconnectWhileReconnectingCancelsTheRetry() {
		ManagedConnection connection = connection(settings(), ConnectionHandler.NONE);
		connection.connect();
		this.executor.runPending();
		this.transport.last().fail(new ConnectException("refused"));
		this.executor.runPending();
		connection.disconnect();
		this.executor.runPending();
		this.executor.advance(Duration.ofMinutes(5));
		assertThat(connection.state()).isEqualTo(DISCONNECTED);
		assertThat(this.transport.attempts()).hasSize(1);
	}

	@Test
	void aHandlerExceptionDoesNotBreakTheConnection() {
		ManagedConnection connection = connection(settings(), new ConnectionHandler() {
			@Override
			public void onMessage(Message message) {
				throw new IllegalStateException("bug in application code");
			}
		});
		connection.connect();
		this.executor.runPending();
		this.transport.last().open();
		this.executor.runPending();
		this.transport.last().listener.onMessage(Message.text("x"));
		this.executor.runPending();
		assertThat(connection.state()).isEqualTo(CONNECTED);
		assertThat(connection.snapshot().messagesIn()).isEqualTo(1);
	}

	private Duration lastRetryIn() {
		for (int i = this.listener.changes.size() - 1; i >= 0; i--) {
			if (this.listener.changes.get(i).retryIn() != null) {
				return this.listener.changes.get(i).retryIn();
			}
		}
		throw new AssertionError("no retry scheduled");
	}

}
