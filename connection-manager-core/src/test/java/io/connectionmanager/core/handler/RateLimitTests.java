package io.connectionmanager.core.handler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.handler.ConnectionSession;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.config.OutboundSettings;
import io.connectionmanager.core.config.RateLimitSettings;
import io.connectionmanager.core.outbound.RateLimitExceededException;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.testing.Measurements;
import io.connectionmanager.core.testing.ScriptedTransport;
import io.connectionmanager.core.testing.VirtualTimeExecutor;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code outbound.rate-limit}: sends beyond the rate wait in order; the server never sees
 * more than {@code limit-for-period} in any sliding window of
 * {@code limit-refresh-period}; a send that cannot get a permit within {@code timeout}
 * fails; the subscription replay and requests take their permits like any send.
 */
class RateLimitTests {

	@Test
	void aHundredSendsAtFivePerSecondNeverExceedFiveInAnySlidingSecond() {
		try (ConnectionRuntime runtime = ConnectionRuntime.create(1);
				TestWebSocketServer server = TestWebSocketServer.start()) {
			List<Long> arrivals = new CopyOnWriteArrayList<>();
			List<String> texts = new CopyOnWriteArrayList<>();
			server.onText((peer, text) -> {
				arrivals.add(System.nanoTime());
				texts.add(text);
			});
			RateLimitSettings limit = new RateLimitSettings(5, Duration.ofSeconds(1), Duration.ofSeconds(60));
			ManagedConnection connection = ManagedConnection
				.builder(ConnectionSettings.builder("exchange")
					.url(server.uri("/orders").toString())
					.heartbeat(HeartbeatSettings.disabled())
					.circuitBreaker(CircuitBreakerSettings.disabled())
					.outbound(OutboundSettings.defaults().withRateLimit(limit))
					.build())
				.runtime(runtime)
				.build();
			connection.connect();
			await().atMost(Duration.ofSeconds(5)).until(() -> connection.state() == ConnectionState.CONNECTED);

			List<CompletableFuture<Void>> sends = IntStream.rangeClosed(1, 100)
				.mapToObj((i) -> connection.send("order " + i))
				.toList();
			await().atMost(Duration.ofSeconds(60)).until(() -> texts.size() == 100);

			assertThat(texts)
				.containsExactlyElementsOf(IntStream.rangeClosed(1, 100).mapToObj((i) -> "order " + i).toList());
			assertThat(sends).allSatisfy((send) -> assertThat(send).isCompleted());
			long tightest = Long.MAX_VALUE;
			for (int i = 0; i + 5 < arrivals.size(); i++) {
				tightest = Math.min(tightest, arrivals.get(i + 5) - arrivals.get(i));
			}
			assertThat(tightest).as("shortest span of 6 consecutive arrivals, ns")
				.isGreaterThan(Duration.ofSeconds(1).toNanos());
			assertThat(connection.rateLimiter()).isNotNull();
			Measurements.record("rate-limit", Map.of("messages", 100, "limit", "5/1s", "tightestSixSpanMs",
					tightest / 1_000_000, "totalMs", (arrivals.get(99) - arrivals.get(0)) / 1_000_000));
			connection.close();
		}
	}

	@Test
	void theReplayAndRequestsArePacedToAndASendPastTheTimeoutFails() {
		VirtualTimeExecutor executor = new VirtualTimeExecutor();
		ScriptedTransport transport = new ScriptedTransport();
		List<ConnectionSession> sessions = new CopyOnWriteArrayList<>();
		RateLimitSettings limit = new RateLimitSettings(2, Duration.ofSeconds(1), Duration.ofSeconds(3));
		ManagedConnection connection = ManagedConnection
			.builder(ConnectionSettings.builder("paced")
				.url("ws://127.0.0.1:9/feed")
				.heartbeat(HeartbeatSettings.disabled())
				.circuitBreaker(CircuitBreakerSettings.disabled())
				.outbound(OutboundSettings.defaults().withRateLimit(limit))
				.build())
			.executor(executor)
			.transport(transport)
			.handler(new ConnectionHandler() {
				@Override
				public void onConnected(ConnectionSession session) {
					sessions.add(session);
				}

				@Override
				public Object correlationOf(Message message) {
					return ((Message.Text) message).text().startsWith("request") ? "r" : null;
				}
			})
			.build();
		connection.subscriptions().add("a", Message.text("sub-a"));
		connection.subscriptions().add("b", Message.text("sub-b"));
		connection.subscriptions().add("c", Message.text("sub-c"));
		connection.connect();
		executor.runPending();
		transport.last().open();
		executor.runPending();
		CompletableFuture<Message> request = sessions.get(0).request(Message.text("request"), Duration.ofSeconds(30));
		List<CompletableFuture<Void>> sends = new ArrayList<>();
		for (int i = 1; i <= 4; i++) {
			sends.add(connection.send("m" + i));
		}
		List<String> sent = transport.last().session.sent.stream().map((m) -> ((Message.Text) m).text()).toList();
		assertThat(sent).containsExactly("sub-a", "sub-b");

		// Two per window of 1 s + 1 s / 2: the next two leave 1.5 s after the first two.
		List<Long> times = new ArrayList<>();
		for (int step = 0; step < 100; step++) {
			int before = transport.last().session.sent.size();
			executor.advance(Duration.ofMillis(100));
			for (int i = before; i < transport.last().session.sent.size(); i++) {
				times.add((long) (step + 1) * 100);
			}
		}
		sent = transport.last().session.sent.stream().map((m) -> ((Message.Text) m).text()).toList();
		assertThat(sent).containsExactly("sub-a", "sub-b", "sub-c", "request", "m1", "m2");
		assertThat(times).containsExactly(1500L, 1500L, 3000L, 3000L);
		// m3 and m4 would have waited 4.5 s, past the 3 s timeout (counted from the
		// send).
		assertThat(sends.get(2)).isCompletedExceptionally();
		assertThat(sends.get(2).handle((ignored, error) -> error).join()).isInstanceOf(RateLimitExceededException.class)
			.hasMessageContaining("'paced'");
		assertThat(sends.get(3)).isCompletedExceptionally();
		assertThat(request).isNotDone();
	}

}
