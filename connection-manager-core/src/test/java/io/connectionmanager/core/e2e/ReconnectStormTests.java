package io.connectionmanager.core.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;

import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.backoff.Jitter;
import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.config.ReconnectSettings;
import io.connectionmanager.core.event.ConnectionListener;
import io.connectionmanager.core.event.StateChange;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 200 connections to one server that restarts: with full jitter their reconnect attempts
 * spread over the backoff window; without jitter they are scheduled together. The
 * assertions are on the distribution of the attempt times each client scheduled when it
 * lost the connection (loss time + backoff delay): that is the engine's decision, and
 * unlike the moment a timer fires it does not bunch when a loaded CI machine stalls the
 * event loop. It still fails if connections share a random sequence or ignore jitter, as
 * the no-jitter run shows. Arrival spreads under real timing are measured by the
 * benchmark harness ({@code storm_peak_to_mean}).
 */
class ReconnectStormTests {

	private static final int CONNECTIONS = 200;

	private static final long BUCKET_MILLIS = 100;

	@ParameterizedTest
	@EnumSource(value = Jitter.class, names = { "FULL", "NONE" })
	void attemptsAfterARestartAreSpreadByJitter(Jitter jitter) {
		List<Instant> attempts = new CopyOnWriteArrayList<>();
		ConnectionListener recorder = new ConnectionListener() {
			@Override
			public void onStateChanged(StateChange change) {
				if (change.current() == ConnectionState.RECONNECTING
						&& change.previous() == ConnectionState.CONNECTED) {
					attempts.add(change.timestamp().plus(change.retryIn()));
				}
			}
		};
		try (ConnectionRuntime runtime = ConnectionRuntime.create(2);
				TestWebSocketServer server = TestWebSocketServer.start()) {
			SplittableRandom seeds = new SplittableRandom(2026);
			List<ManagedConnection> connections = new ArrayList<>();
			for (int i = 0; i < CONNECTIONS; i++) {
				ConnectionSettings settings = ConnectionSettings.builder("storm-" + i)
					.url(server.uri("/stream").toString())
					.reconnect(new ReconnectSettings(Duration.ofSeconds(1), Duration.ofSeconds(1), 2.0, jitter, -1,
							Duration.ofSeconds(30)))
					.heartbeat(HeartbeatSettings.disabled())
					.circuitBreaker(CircuitBreakerSettings.disabled())
					.build();
				ManagedConnection connection = ManagedConnection.builder(settings)
					.runtime(runtime)
					.handler(ConnectionHandler.NONE)
					.random(seeds.split())
					.listener(recorder)
					.build();
				connections.add(connection);
				connection.connect();
			}
			await().atMost(Duration.ofSeconds(20)).until(() -> allIn(connections, ConnectionState.CONNECTED));
			server.kill();
			server.restart();
			await().atMost(Duration.ofSeconds(20)).until(() -> allIn(connections, ConnectionState.CONNECTED));
			assertThat(attempts).hasSize(CONNECTIONS);
			int[] buckets = buckets(attempts);
			int peak = java.util.Arrays.stream(buckets).max().orElseThrow();
			if (jitter == Jitter.FULL) {
				// Uniform over 1 s puts about 20 (10 %) in each 100 ms bucket; a herd
				// puts them all in one or two.
				assertThat(buckets.length).isGreaterThanOrEqualTo(8);
				assertThat(peak).isLessThanOrEqualTo(CONNECTIONS * 3 / 10);
			}
			else {
				assertThat(peak).isGreaterThanOrEqualTo(CONNECTIONS / 2);
			}
			connections.forEach(ManagedConnection::close);
		}
	}

	private static boolean allIn(List<ManagedConnection> connections, ConnectionState state) {
		return connections.stream().allMatch((connection) -> connection.state() == state);
	}

	/** Attempts per 100 ms, from the first scheduled attempt to the last. */
	private static int[] buckets(List<Instant> attempts) {
		long first = attempts.stream().mapToLong(Instant::toEpochMilli).min().orElseThrow();
		long last = attempts.stream().mapToLong(Instant::toEpochMilli).max().orElseThrow();
		int[] buckets = new int[(int) ((last - first) / BUCKET_MILLIS) + 1];
		attempts.forEach((attempt) -> buckets[(int) ((attempt.toEpochMilli() - first) / BUCKET_MILLIS)]++);
		return buckets;
	}

}
