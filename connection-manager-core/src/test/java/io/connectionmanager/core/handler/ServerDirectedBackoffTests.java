package io.connectionmanager.core.handler;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.backoff.Jitter;
import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.config.ReconnectSettings;
import io.connectionmanager.core.event.StateChange;
import io.connectionmanager.core.failure.UpgradeRejectedException;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.testing.Measurements;
import io.connectionmanager.core.testing.RecordingListener;
import io.connectionmanager.core.testing.ScriptedTransport;
import io.connectionmanager.core.testing.VirtualTimeExecutor;
import io.connectionmanager.test.server.HandshakeRecord;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server that says how long to stay away sets a floor under the next delay: the floor
 * plus the normal jittered delay, capped by {@code reconnect.max-server-delay}, the only
 * delay that may exceed {@code max-delay}. Visible as {@code retryIn} and
 * {@code nextAttemptAt}.
 */
class ServerDirectedBackoffTests {

	private static final ReconnectSettings FAST = new ReconnectSettings(Duration.ofMillis(100), Duration.ofMillis(400),
			2.0, Jitter.FULL, -1, Duration.ofSeconds(30));

	private final RecordingListener listener = new RecordingListener();

	@Test
	void a429WithRetryAfterThreeSecondsMeansNoAttemptBeforeThreeSeconds() {
		try (ConnectionRuntime runtime = ConnectionRuntime.create(1);
				TestWebSocketServer server = TestWebSocketServer.start()) {
			server.rejectUpgrades(429, Duration.ofSeconds(3));
			ManagedConnection connection = ManagedConnection
				.builder(ConnectionSettings.builder("throttled")
					.url(server.uri("/feed").toString())
					.reconnect(FAST)
					.heartbeat(HeartbeatSettings.disabled())
					.circuitBreaker(CircuitBreakerSettings.disabled())
					.build())
				.runtime(runtime)
				.listener(this.listener)
				.build();
			connection.connect();
			await().atMost(Duration.ofSeconds(5)).until(() -> connection.state() == ConnectionState.RECONNECTING);
			server.acceptUpgrades();
			StateChange waiting = this.listener.changes.stream()
				.filter((change) -> change.current() == ConnectionState.RECONNECTING)
				.findFirst()
				.orElseThrow();
			assertThat(waiting.retryIn()).isBetween(Duration.ofSeconds(3), Duration.ofMillis(3100));
			assertThat(connection.snapshot().nextAttemptAt()).isNotNull();
			assertThat(waiting.cause().exception()).isInstanceOf(UpgradeRejectedException.class);

			await().atMost(Duration.ofSeconds(10)).until(() -> connection.state() == ConnectionState.CONNECTED);
			List<HandshakeRecord> handshakes = server.handshakes();
			assertThat(handshakes).hasSize(2);
			assertThat(handshakes.get(0).status()).isEqualTo(429);
			long apart = handshakes.get(1).nanoTime() - handshakes.get(0).nanoTime();
			assertThat(apart).isGreaterThanOrEqualTo(Duration.ofSeconds(3).toNanos());
			Measurements.record("retry-after", Map.of("retryAfterS", 3, "retryInMs", waiting.retryIn().toMillis(),
					"nextAttemptAfterMs", apart / 1_000_000));
			connection.close();
		}
	}

	@Test
	void closeCodes1012And1013UseTheHandlersReadingOfTheReasonCappedByMaxServerDelay() {
		VirtualTimeExecutor executor = new VirtualTimeExecutor();
		ScriptedTransport transport = new ScriptedTransport();
		ReconnectSettings reconnect = new ReconnectSettings(Duration.ofSeconds(1), Duration.ofSeconds(8), 2.0,
				Jitter.NONE, -1, Duration.ofSeconds(30), Duration.ofMinutes(2));
		ManagedConnection connection = ManagedConnection
			.builder(ConnectionSettings.builder("restarting")
				.url("ws://127.0.0.1:9/feed")
				.reconnect(reconnect)
				.heartbeat(HeartbeatSettings.disabled())
				.circuitBreaker(CircuitBreakerSettings.disabled())
				.build())
			.executor(executor)
			.transport(transport)
			.handler(new ConnectionHandler() {
				@Override
				public Duration serverDelay(int closeCode, String reason) {
					// This server says "retry in N s".
					return reason.startsWith("retry in ")
							? Duration.ofSeconds(Long.parseLong(reason.substring(9, reason.length() - 2))) : null;
				}
			})
			.listener(this.listener)
			.build();
		connection.connect();
		executor.runPending();
		transport.last().open();
		executor.runPending();

		transport.last().listener.onClosed(1013, "retry in 20 s");
		executor.runPending();
		assertThat(lastRetryIn()).isEqualTo(Duration.ofSeconds(21));
		executor.advance(Duration.ofSeconds(20));
		assertThat(transport.attempts()).hasSize(1);
		executor.advance(Duration.ofSeconds(1));
		assertThat(transport.attempts()).hasSize(2);

		// Absurd: capped at max-server-delay (2 min), plus the normal delay (now 2 s).
		transport.last().open();
		executor.runPending();
		transport.last().listener.onClosed(1012, "retry in 86400 s");
		executor.runPending();
		assertThat(lastRetryIn()).isEqualTo(Duration.ofMinutes(2).plusSeconds(2));

		// Other codes, or a reason the handler cannot read: the normal delay.
		executor.advance(Duration.ofMinutes(2).plusSeconds(2));
		assertThat(transport.attempts()).hasSize(3);
		transport.last().open();
		executor.runPending();
		transport.last().listener.onClosed(1013, "busy");
		executor.runPending();
		assertThat(lastRetryIn()).isEqualTo(Duration.ofSeconds(4));
	}

	@Test
	void retryAfterAsAnHttpDateCountsFromNow() {
		VirtualTimeExecutor executor = new VirtualTimeExecutor();
		ScriptedTransport transport = new ScriptedTransport();
		ManagedConnection connection = ManagedConnection
			.builder(ConnectionSettings.builder("dated")
				.url("ws://127.0.0.1:9/feed")
				.reconnect(new ReconnectSettings(Duration.ofSeconds(1), Duration.ofSeconds(8), 2.0, Jitter.NONE, -1,
						Duration.ofSeconds(30)))
				.heartbeat(HeartbeatSettings.disabled())
				.circuitBreaker(CircuitBreakerSettings.disabled())
				.build())
			.executor(executor)
			.transport(transport)
			.listener(this.listener)
			.build();
		connection.connect();
		executor.runPending();
		String inNinetySeconds = DateTimeFormatter.RFC_1123_DATE_TIME
			.format(executor.clock().instant().plusSeconds(90).atZone(ZoneOffset.UTC));
		transport.last().fail(new UpgradeRejectedException(503, "Service Unavailable", inNinetySeconds));
		executor.runPending();
		assertThat(lastRetryIn()).isEqualTo(Duration.ofSeconds(91));
		executor.advance(Duration.ofSeconds(90));
		assertThat(transport.attempts()).hasSize(1);
		executor.advance(Duration.ofSeconds(1));
		assertThat(transport.attempts()).hasSize(2);
		// A 500 with Retry-After is not an instruction to wait: the normal delay.
		transport.last().fail(new UpgradeRejectedException(500, "Internal Server Error", "60"));
		executor.runPending();
		assertThat(lastRetryIn()).isEqualTo(Duration.ofSeconds(2));
	}

	private Duration lastRetryIn() {
		List<StateChange> waits = this.listener.changes.stream()
			.filter((change) -> change.current() == ConnectionState.RECONNECTING)
			.toList();
		return waits.get(waits.size() - 1).retryIn();
	}

}
