package io.connectionmanager.core.spi;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.backoff.Jitter;
import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.config.ReconnectSettings;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.testing.RecordingListener;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A user-supplied transport gets the same lifecycle as the built-in ones. */
class TransportSpiTests {

	@Test
	void aWrappedThirdPartyClientGetsStatesHeartbeatsAndReconnects() {
		try (ConnectionRuntime runtime = ConnectionRuntime.create(1);
				TestWebSocketServer server = TestWebSocketServer.start()) {
			List<Message> received = new CopyOnWriteArrayList<>();
			RecordingListener listener = new RecordingListener();
			ConnectionSettings settings = ConnectionSettings.builder("vendor-sdk")
				.url(server.uri("/stream").toString())
				.reconnect(new ReconnectSettings(Duration.ofMillis(50), Duration.ofMillis(100), 2.0, Jitter.FULL, -1,
						Duration.ofSeconds(30)))
				.heartbeat(new HeartbeatSettings(true, Duration.ofMillis(100), Duration.ofMillis(500)))
				// With 50-100 ms delays, five refusals while the server restarts would
				// rightly open the default breaker.
				.circuitBreaker(CircuitBreakerSettings.disabled())
				.build();
			ManagedConnection connection = ManagedConnection.builder(settings)
				.runtime(runtime)
				.transport(new JdkWebSocketTransport())
				.handler(new ConnectionHandler() {
					@Override
					public void onMessage(Message message) {
						received.add(message);
					}
				})
				.listener(listener)
				.build();
			connection.connect();
			await().atMost(Duration.ofSeconds(5)).until(() -> connection.state() == ConnectionState.CONNECTED);
			connection.send("hello");
			await().atMost(Duration.ofSeconds(5)).until(() -> received.contains(Message.text("hello")));
			await().atMost(Duration.ofSeconds(5)).until(() -> server.pingsReceived() >= 2);
			assertThat(connection.snapshot().heartbeatRoundTrip()).isNotNull();

			server.kill();
			await().atMost(Duration.ofSeconds(5)).until(() -> connection.state() == ConnectionState.RECONNECTING);
			server.restart();
			await().atMost(Duration.ofSeconds(5)).until(() -> connection.state() == ConnectionState.CONNECTED);
			// Listeners hear of a transition on their own lane, a moment after it.
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(listener.states()).containsSubsequence(ConnectionState.CONNECTING,
						ConnectionState.AUTHENTICATING, ConnectionState.CONNECTED, ConnectionState.RECONNECTING,
						ConnectionState.CONNECTING, ConnectionState.CONNECTED));
			connection.close();
		}
	}

}
