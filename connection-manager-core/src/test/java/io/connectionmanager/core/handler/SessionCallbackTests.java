package io.connectionmanager.core.handler;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.connectionmanager.core.handler.AuthenticationContext;
import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.handler.ConnectionSession;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.handler.SessionEndedException;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.OutboundSettings;
import io.connectionmanager.core.failure.Failure;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.testing.TestSettings;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.test.server.ServerConnection;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every handler callback gets its session and runs on the handler pool; after each
 * authentication the order on the wire is fixed: what authentication sent, then what
 * {@code onConnected} sent, then the subscription replay, then what was buffered while
 * disconnected, then live sends.
 */
class SessionCallbackTests {

	private static final String HANDLER_THREAD = "connection-manager-handler";

	private final ConnectionRuntime runtime = ConnectionRuntime.create(1);

	private final TestWebSocketServer server = TestWebSocketServer.start();

	private final List<String> events = new CopyOnWriteArrayList<>();

	private final List<String> threads = new CopyOnWriteArrayList<>();

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
	void afterAuthenticationOnConnectedThenReplayThenBufferedThenLive() {
		Transcripts transcripts = Transcripts.record(this.server, (peer, text) -> {
			switch (text) {
				case "auth" -> peer.sendText("auth-ok");
				case "echo" -> peer.sendText("echoed");
				default -> {
				}
			}
		});
		this.connection = ManagedConnection.builder(settings().build())
			.runtime(this.runtime)
			.handler(handler())
			.build();
		this.connection.subscriptions().add("a", Message.text("sub-a"));
		this.connection.subscriptions().add("b", Message.text("sub-b"));
		CompletableFuture<Void> buffered = this.connection.send("buffered-1");
		this.connection.send("buffered-2");

		this.connection.connect();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.connection.state() == ConnectionState.CONNECTED);
		this.connection.send("live");
		this.connection.send("echo");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> transcripts.connections().size() == 1
					&& transcripts.texts(transcripts.connections().get(0)).contains("reply"));

		ServerConnection first = transcripts.connections().get(0);
		assertThat(transcripts.texts(first)).containsExactly("auth", "hello", "sub-a", "sub-b", "buffered-1",
				"buffered-2", "live", "echo", "reply");
		assertThat(buffered).isCompleted();

		// A lost session: onDisconnected with the cause, then a new session replays the
		// subscriptions (the buffered messages went out once, with the first).
		first.abort();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> transcripts.connections().size() == 2
					&& transcripts.texts(transcripts.connections().get(1)).size() == 4);
		assertThat(transcripts.texts(transcripts.connections().get(1))).containsExactly("auth", "hello", "sub-a",
				"sub-b");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.events.stream().filter("onConnected"::equals).count() == 2);
		assertThat(this.events).containsExactly("authenticate", "onConnected", "onMessage echoed",
				"onDisconnected CONNECTION_LOST", "authenticate", "onConnected");
		assertThat(this.threads).isNotEmpty().allSatisfy((name) -> assertThat(name).startsWith(HANDLER_THREAD));
	}

	@Test
	void aSessionThatEndedRefusesSendsAndItsCloseReconnectsWithBackoff() {
		Transcripts transcripts = Transcripts.record(this.server, (peer, text) -> {
			if (text.equals("auth")) {
				peer.sendText("auth-ok");
			}
		});
		this.connection = ManagedConnection.builder(settings().build())
			.runtime(this.runtime)
			.handler(handler())
			.build();
		this.connection.connect();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.sessions.size() == 1);
		ConnectionSession first = this.sessions.get(0);
		assertThat(first.isOpen()).isTrue();
		assertThat(first.connectionName()).isEqualTo("session-feed");
		assertThat(first.attempt()).isEqualTo(1);

		first.close("handler says so");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.sessions.size() == 2);
		assertThat(first.isOpen()).isFalse();
		assertThat(first.send("late")).failsWithin(Duration.ofSeconds(1))
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(SessionEndedException.class);
		assertThat(this.server.closeCodesReceived()).contains(1000);
		assertThat(this.events).contains("onDisconnected SESSION_CLOSED");
		assertThat(transcripts.connections()).hasSize(2);
	}

	private final List<ConnectionSession> sessions = new CopyOnWriteArrayList<>();

	private ConnectionHandler handler() {
		return new ConnectionHandler() {

			@Override
			public void authenticate(AuthenticationContext auth) {
				record("authenticate");
				auth.send("auth");
			}

			@Override
			public void onAuthenticationMessage(AuthenticationContext auth, Message reply) {
				record(null);
				if (text(reply).equals("auth-ok")) {
					auth.succeed();
				}
			}

			@Override
			public void onConnected(ConnectionSession session) {
				record("onConnected");
				SessionCallbackTests.this.sessions.add(session);
				session.send("hello");
			}

			@Override
			public void onMessage(ConnectionSession session, Message message) {
				record("onMessage " + text(message));
				if (text(message).equals("echoed")) {
					session.send("reply");
				}
			}

			@Override
			public void onDisconnected(Failure cause) {
				record("onDisconnected " + ((cause != null) ? cause.kind() : null));
			}

		};
	}

	private void record(String event) {
		if (event != null) {
			this.events.add(event);
		}
		this.threads.add(Thread.currentThread().getName());
	}

	private static String text(Message message) {
		return ((Message.Text) message).text();
	}

	private ConnectionSettings.Builder settings() {
		return TestSettings
			.quickReconnect("session-feed", this.server.uri("/feed").toString(), Duration.ofMillis(20),
					Duration.ofMillis(50))
			.outbound(new OutboundSettings(OutboundSettings.WhenDisconnected.BUFFER, 100, 1024 * 1024,
					OutboundSettings.Overflow.REJECT));
	}

}
