package io.connectionmanager.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.autoconfigure.testing.AutoConfigurationTesting;
import io.connectionmanager.autoconfigure.testing.AutoConfigurationTesting.SharedServer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

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

	@RegisterExtension
	static final SharedServer server = new SharedServer();

	private final ApplicationContextRunner runner = AutoConfigurationTesting.runner();

	@Test
	void stopDisconnectsWithGoingAwayAndStartConnectsAgain() {
		this.runner
			.withPropertyValues("connection-manager.connections.feed.url=" + server.get().uri("/feed"),
					"connection-manager.connections.idle.url=" + server.get().uri("/idle"),
					"connection-manager.connections.idle.auto-startup=false")
			.run((context) -> {
				ManagedConnection feed = context.getBean("feed", ManagedConnection.class);
				ManagedConnection idle = context.getBean("idle", ManagedConnection.class);
				await().atMost(TIMEOUT).until(() -> feed.state() == CONNECTED);
				int handshakes = server.get().handshakeCount();
				int closes = server.get().closeCodesReceived().size();

				context.stop();
				await().atMost(TIMEOUT).until(() -> feed.state() == DISCONNECTED);
				await().atMost(TIMEOUT).until(() -> server.get().closeCodesReceived().size() > closes);
				assertThat(closesSince(closes)).containsExactly(GOING_AWAY);
				assertThat(feed.isClosed()).isFalse();
				assertThat(server.get().handshakeCount()).isEqualTo(handshakes);

				context.start();
				await().atMost(TIMEOUT).until(() -> feed.state() == CONNECTED);
				assertThat(server.get().handshakeCount()).isEqualTo(handshakes + 1);
				assertThat(idle.state()).isEqualTo(DISCONNECTED);
			});
	}

	@Test
	void aSecondStopAndStartWorkToo() {
		this.runner.withPropertyValues("connection-manager.connections.feed.url=" + server.get().uri("/feed"))
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
		this.runner.withPropertyValues("connection-manager.connections.feed.url=" + server.get().uri("/feed"))
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
		List<Integer> all = server.get().closeCodesReceived();
		return all.subList(index, all.size());
	}

}
