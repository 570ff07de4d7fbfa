package io.connectionmanager.core.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.connectionmanager.core.ConnectionHandler;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.backoff.Jitter;
import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.config.ReconnectSettings;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.test.server.HandshakeRecord;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 200 connections to one server that restarts: with full jitter their attempts spread over the backoff window;
 * without jitter they arrive together. The assertions are on the distribution of the server-side attempt times, not
 * on wall-clock totals, and the no-jitter run shows the check can fail.
 */
class ReconnectStormTests {

	private static final int CONNECTIONS = 200;

	private static final long BUCKET_NANOS = 100_000_000L;

	@ParameterizedTest
	@EnumSource(value = Jitter.class, names = { "FULL", "NONE" })
	void attemptsAfterARestartAreSpreadByJitter(Jitter jitter) {
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
					.build();
				connections.add(connection);
				connection.connect();
			}
			await().atMost(Duration.ofSeconds(20)).until(() -> allIn(connections, ConnectionState.CONNECTED));
			int before = server.handshakeCount();
			server.kill();
			server.restart();
			await().atMost(Duration.ofSeconds(20)).until(() -> allIn(connections, ConnectionState.CONNECTED));
			List<HandshakeRecord> storm = server.handshakes().subList(before, server.handshakeCount());
			assertThat(storm).hasSize(CONNECTIONS);
			int[] buckets = buckets(storm);
			int peak = java.util.Arrays.stream(buckets).max().orElseThrow();
			if (jitter == Jitter.FULL) {
				// Uniform over 1 s is about 20 per 100 ms bucket; a synchronised herd puts ~200 in one.
				assertThat(buckets.length).isGreaterThanOrEqualTo(8);
				assertThat(peak).isLessThanOrEqualTo(CONNECTIONS / 4);
			}
			else {
				assertThat(peak).isGreaterThanOrEqualTo(CONNECTIONS * 3 / 4);
			}
			connections.forEach(ManagedConnection::close);
		}
	}

	private static boolean allIn(List<ManagedConnection> connections, ConnectionState state) {
		return connections.stream().allMatch((connection) -> connection.state() == state);
	}

	/** Attempts per 100 ms, from the first attempt after the restart to the last. */
	private static int[] buckets(List<HandshakeRecord> attempts) {
		long first = attempts.stream().mapToLong(HandshakeRecord::nanoTime).min().orElseThrow();
		long last = attempts.stream().mapToLong(HandshakeRecord::nanoTime).max().orElseThrow();
		int[] buckets = new int[(int) ((last - first) / BUCKET_NANOS) + 1];
		attempts.forEach((attempt) -> buckets[(int) ((attempt.nanoTime() - first) / BUCKET_NANOS)]++);
		return buckets;
	}

}
