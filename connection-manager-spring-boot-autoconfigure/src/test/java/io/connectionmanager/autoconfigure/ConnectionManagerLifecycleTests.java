package io.connectionmanager.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.connectionmanager.core.state.ConnectionState.CONNECTED;
import static io.connectionmanager.core.state.ConnectionState.DISCONNECTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A context that stops and starts again (as a Spring {@code Lifecycle} does) takes its
 * connections down with a "going away" close and brings them back; only closing the
 * context closes them for good. Against a real loopback WebSocket server.
 */
class ConnectionManagerLifecycleTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final int GOING_AWAY = 1001;

	private static TestWebSocketServer server;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ConnectionManagerAutoConfiguration.class))
		.withPropertyValues("connection-manager.runtime.threads=1");

	@BeforeAll
	static void startServer() {
		server = TestWebSocketServer.start();
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Test
	void stopDisconnectsWithGoingAwayAndStartConnectsAgain() {
		this.runner
			.withPropertyValues("connection-manager.connections.feed.url=" + server.uri("/feed"),
					"connection-manager.connections.idle.url=" + server.uri("/idle"),
					"connection-manager.connections.idle.auto-startup=false")
			.run((context) -> {
				ManagedConnection feed = context.getBean("feed", ManagedConnection.class);
				ManagedConnection idle = context.getBean("idle", ManagedConnection.class);
				await().atMost(TIMEOUT).until(() -> feed.state() == CONNECTED);
				int handshakes = server.handshakeCount();
				int closes = server.closeCodesReceived().size();

				context.stop();
				await().atMost(TIMEOUT).until(() -> feed.state() == DISCONNECTED);
				await().atMost(TIMEOUT).until(() -> server.closeCodesReceived().size() > closes);
				assertThat(closesSince(closes)).containsExactly(GOING_AWAY);
				assertThat(feed.isClosed()).isFalse();
				assertThat(server.handshakeCount()).isEqualTo(handshakes);

				context.start();
				await().atMost(TIMEOUT).until(() -> feed.state() == CONNECTED);
				assertThat(server.handshakeCount()).isEqualTo(handshakes + 1);
				assertThat(idle.state()).isEqualTo(DISCONNECTED);
			});
	}

	@Test
	void aSecondStopAndStartWorkToo() {
		this.runner.withPropertyValues("connection-manager.connections.feed.url=" + server.uri("/feed"))
			.run((context) -> {
				ManagedConnection feed = context.getBean("feed", ManagedConnection.class);
				for (int cycle = 0; cycle < 2; cycle++) {
					await().atMost(TIMEOUT).until(() -> feed.state() == CONNECTED);
					context.stop();
					await().atMost(TIMEOUT).until(() -> feed.state() == DISCONNECTED);
					context.start();
				}
				await().atMost(TIMEOUT).until(() -> feed.state() == CONNECTED);
			});
	}

	@Test
	void onlyClosingTheContextClosesForGood() {
		ManagedConnection[] feed = new ManagedConnection[1];
		this.runner.withPropertyValues("connection-manager.connections.feed.url=" + server.uri("/feed"))
			.run((context) -> {
				feed[0] = context.getBean("feed", ManagedConnection.class);
				await().atMost(TIMEOUT).until(() -> feed[0].state() == CONNECTED);
				context.stop();
				assertThat(feed[0].isClosed()).isFalse();
			});
		assertThat(feed[0].isClosed()).isTrue();
		assertThat(feed[0].state()).isEqualTo(DISCONNECTED);
	}

	private static List<Integer> closesSince(int index) {
		List<Integer> all = server.closeCodesReceived();
		return all.subList(index, all.size());
	}

}
