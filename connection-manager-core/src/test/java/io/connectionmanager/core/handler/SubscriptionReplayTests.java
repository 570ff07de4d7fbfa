package io.connectionmanager.core.handler;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.handler.ConnectionSession;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.handler.Subscriptions;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.testing.Measurements;
import io.connectionmanager.core.testing.RecordingListener;
import io.connectionmanager.core.testing.TestSettings;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.test.server.ServerConnection;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Subscriptions come back by themselves: each is sent exactly once per session, in
 * insertion order, however often the connection is lost, and a refused one is retried on
 * the next session without taking the connection down.
 */
class SubscriptionReplayTests {

	private static final List<String> SUBSCRIBE = List.of("subscribe trades", "subscribe quotes", "subscribe book");

	private final ConnectionRuntime runtime = ConnectionRuntime.create(1);

	private final TestWebSocketServer server = TestWebSocketServer.start();

	private final RecordingListener listener = new RecordingListener();

	private ManagedConnection connection;

	@AfterEach
	void close() {
		if (this.connection != null) {
			this.connection.close();
		}
		this.server.close();
		this.runtime.close();
	}

	@Test
	void fiftyReconnectsSendEachSubscriptionExactlyOncePerSession() {
		int sessions = 51;
		AtomicInteger dropped = new AtomicInteger();
		// The server ends every session once it has seen the three subscriptions, 50
		// times.
		Transcripts transcripts = Transcripts.record(this.server, (peer, text) -> {
			if (text.equals("subscribe book") && dropped.get() < sessions - 1) {
				dropped.incrementAndGet();
				peer.abort();
			}
		});
		this.connection = start(ConnectionHandler.NONE);
		Subscriptions subscriptions = this.connection.subscriptions();
		subscriptions.add("trades", Message.text(SUBSCRIBE.get(0)));
		subscriptions.add("quotes", Message.text(SUBSCRIBE.get(1)));
		assertThat(subscriptions.add("trades", Message.text("subscribe trades again"))).isFalse();
		this.connection.connect();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.connection.state() == ConnectionState.CONNECTED);
		// Added while CONNECTED: sent at once, and replayed after it on later sessions.
		subscriptions.add("book", Message.text(SUBSCRIBE.get(2)));

		await().atMost(Duration.ofSeconds(60))
			.until(() -> transcripts.connections().size() == sessions
					&& transcripts.texts(transcripts.connections().get(sessions - 1)).size() == 3);
		List<ServerConnection> seen = transcripts.connections();
		assertThat(seen).hasSize(sessions);
		for (ServerConnection session : seen) {
			assertThat(transcripts.texts(session)).as("session %s", session).containsExactlyElementsOf(SUBSCRIBE);
		}
		assertThat(subscriptions.keys()).containsExactly("trades", "quotes", "book");
		assertThat(this.connection.state()).isEqualTo(ConnectionState.CONNECTED);
		Measurements.record("subscription-replay",
				Map.of("sessions", sessions, "subscriptionsPerSession", transcripts.texts(seen.get(1)).size()));
	}

	@Test
	void aRefusedSubscriptionIsReportedAndRetriedOnTheNextSessionUnlessRemoved() {
		Transcripts transcripts = Transcripts.record(this.server, (peer, text) -> {
			if (text.startsWith("subscribe ")) {
				String topic = text.substring("subscribe ".length());
				peer.sendText((topic.equals("secret") ? "refused " : "ok ") + topic);
			}
		});
		this.connection = start(new ConnectionHandler() {
			@Override
			public void onMessage(ConnectionSession session, Message message) {
				String[] answer = ((Message.Text) message).text().split(" ");
				if (answer[0].equals("ok")) {
					session.subscriptions().acknowledge(answer[1]);
				}
				else {
					session.subscriptions().fail(answer[1], "not entitled");
				}
			}
		});
		Subscriptions subscriptions = this.connection.subscriptions();
		subscriptions.add("trades", Message.text("subscribe trades"));
		subscriptions.add("secret", Message.text("subscribe secret"));
		this.connection.connect();

		await().atMost(Duration.ofSeconds(5)).until(() -> this.listener.subscriptionFailures.size() == 1);
		assertThat(this.listener.subscriptionFailures.get(0).key()).isEqualTo("secret");
		assertThat(this.listener.subscriptionFailures.get(0).reason()).isEqualTo("not entitled");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> subscriptions.status("trades") == Subscriptions.Status.ACTIVE);
		assertThat(subscriptions.status("secret")).isEqualTo(Subscriptions.Status.FAILED);
		assertThat(this.connection.state()).isEqualTo(ConnectionState.CONNECTED);

		this.server.connections().forEach(ServerConnection::abort);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.listener.subscriptionFailures.size() == 2);
		assertThat(transcripts.texts(transcripts.connections().get(1))).containsExactly("subscribe trades",
				"subscribe secret");

		// Removed: unsubscribed at once, and not replayed on the next session.
		assertThat(subscriptions.remove("secret", Message.text("unsubscribe secret"))).isTrue();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> transcripts.texts(transcripts.connections().get(1)).contains("unsubscribe secret"));
		this.server.connections().forEach(ServerConnection::abort);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> transcripts.connections().size() == 3
					&& subscriptions.status("trades") == Subscriptions.Status.ACTIVE);
		assertThat(transcripts.texts(transcripts.connections().get(2))).containsExactly("subscribe trades");
		assertThat(this.listener.subscriptionFailures).hasSize(2);
	}

	private ManagedConnection start(ConnectionHandler handler) {
		return ManagedConnection
			.builder(
					TestSettings
						.quickReconnect("subscriber", this.server.uri("/feed").toString(), Duration.ofMillis(5),
								Duration.ofMillis(20))
						.build())
			.runtime(this.runtime)
			.handler(handler)
			.listener(this.listener)
			.build();
	}

}
