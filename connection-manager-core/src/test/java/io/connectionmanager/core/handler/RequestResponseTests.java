package io.connectionmanager.core.handler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;

import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.handler.ConnectionSession;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.handler.SessionEndedException;
import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.testing.Measurements;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.test.server.ServerConnection;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code session.request(..)} pairs each request with its reply by the handler's
 * correlation key, whatever order the replies come in; replies are consumed (never passed
 * to {@code onMessage}); a request fails on its timeout or when its session ends.
 */
class RequestResponseTests {

	private final ConnectionRuntime runtime = ConnectionRuntime.create(1);

	private final TestWebSocketServer server = TestWebSocketServer.start();

	private final List<String> delivered = new CopyOnWriteArrayList<>();

	private final List<ConnectionSession> sessions = new CopyOnWriteArrayList<>();

	private final ExecutorService callers = Executors.newFixedThreadPool(8);

	private ManagedConnection connection;

	@AfterEach
	void close() {
		this.callers.shutdownNow();
		if (this.connection != null) {
			this.connection.close();
		}
		this.server.close();
		this.runtime.close();
	}

	@Test
	void aHundredConcurrentRequestsAreMatchedToTheirRepliesOutOfOrder() {
		int count = 100;
		List<String> requests = new CopyOnWriteArrayList<>();
		// Answers only once all have arrived, in reverse order, each reply saying whose
		// it
		// is; and one message that is not a reply.
		this.server.onText((peer, text) -> {
			requests.add(text);
			if (requests.size() == count) {
				peer.sendText("{\"event\":\"unrelated\"}");
				List<String> reversed = new ArrayList<>(requests);
				Collections.reverse(reversed);
				reversed.forEach((request) -> peer
					.sendText("{\"id\":" + idOf(request) + ",\"result\":\"for " + idOf(request) + "\"}"));
			}
		});
		ConnectionSession session = connected();

		List<CompletableFuture<CompletableFuture<Message>>> issued = new ArrayList<>();
		for (int i = 1; i <= count; i++) {
			String request = "{\"id\":" + i + ",\"method\":\"account\"}";
			issued.add(CompletableFuture
				.supplyAsync(() -> session.request(Message.text(request), Duration.ofSeconds(10)), this.callers));
		}
		long started = System.nanoTime();
		List<CompletableFuture<Message>> replies = issued.stream().map(CompletableFuture::join).toList();
		CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).join();
		long micros = (System.nanoTime() - started) / 1000;

		for (int i = 0; i < count; i++) {
			String reply = ((Message.Text) replies.get(i).join()).text();
			assertThat(reply).isEqualTo("{\"id\":" + (i + 1) + ",\"result\":\"for " + (i + 1) + "\"}");
		}
		assertThat(requests).hasSize(count);
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.delivered.isEmpty());
		assertThat(this.delivered).containsExactly("{\"event\":\"unrelated\"}");
		Measurements.record("request-response", Map.of("requests", count, "allAnsweredMicros", micros));
	}

	@Test
	void aRequestFailsOnItsTimeoutAndWhenItsSessionEnds() throws Exception {
		this.server.onText((peer, text) -> {
		});
		ConnectionSession session = connected();
		CompletableFuture<Message> unanswered = session.request(Message.text("{\"id\":1}"), Duration.ofMillis(200));
		assertThat(unanswered).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(TimeoutException.class);

		CompletableFuture<Message> cut = session.request(Message.text("{\"id\":2}"), Duration.ofSeconds(30));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.server.textMessagesReceived() == 2);
		this.server.connections().forEach(ServerConnection::abort);
		assertThat(cut).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(SessionEndedException.class);
		assertThat(session.request(Message.text("{\"method\":\"no id\"}"), Duration.ofSeconds(1)))
			.failsWithin(Duration.ofSeconds(1))
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(SessionEndedException.class);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.sessions.size() == 2);
		assertThat(this.sessions.get(1).request(Message.text("{\"method\":\"no id\"}"), Duration.ofSeconds(1)))
			.failsWithin(Duration.ofSeconds(1))
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(IllegalArgumentException.class);
	}

	private ConnectionSession connected() {
		this.connection = ManagedConnection
			.builder(ConnectionSettings.builder("broker")
				.url(this.server.uri("/rpc").toString())
				.heartbeat(HeartbeatSettings.disabled())
				.circuitBreaker(CircuitBreakerSettings.disabled())
				.build())
			.runtime(this.runtime)
			.handler(new ConnectionHandler() {

				@Override
				public void onConnected(ConnectionSession session) {
					RequestResponseTests.this.sessions.add(session);
				}

				@Override
				public Object correlationOf(Message message) {
					return idOf(((Message.Text) message).text());
				}

				@Override
				public void onMessage(Message message) {
					RequestResponseTests.this.delivered.add(((Message.Text) message).text());
				}

			})
			.build();
		this.connection.connect();
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.sessions.isEmpty());
		return this.sessions.get(0);
	}

	/** A JSON-RPC-like id, or null. */
	private static Long idOf(String json) {
		int at = json.indexOf("\"id\":");
		if (at < 0) {
			return null;
		}
		int from = at + 5;
		int to = from;
		while (to < json.length() && Character.isDigit(json.charAt(to))) {
			to++;
		}
		return Long.parseLong(json.substring(from, to));
	}

}
