package io.connectionmanager.core.reach;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.ManagedConnectionBuilder;
import io.connectionmanager.core.backoff.Jitter;
import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.config.ReconnectSettings;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.testing.RecordingListener;
import io.connectionmanager.core.transport.Message;

import static org.awaitility.Awaitility.await;

/**
 * What the reach tests share: a runtime, connections and servers closed after each test,
 * fast reconnects, and a handler that records text messages.
 */
abstract class ReachTesting {

	protected final ConnectionRuntime runtime = ConnectionRuntime.create(2);

	protected final RecordingListener listener = new RecordingListener();

	protected final List<String> received = new CopyOnWriteArrayList<>();

	private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();

	protected final ConnectionHandler recording = new ConnectionHandler() {
		@Override
		public void onMessage(Message message) {
			ReachTesting.this.received.add(((Message.Text) message).text());
		}
	};

	@org.junit.jupiter.api.AfterEach
	void release() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
		this.runtime.close();
	}

	protected <T extends AutoCloseable> T closeLater(T resource) {
		this.resources.add(0, resource);
		return resource;
	}

	protected static ConnectionSettings.Builder settings(String url) {
		return ConnectionSettings.builder("reach")
			.url(url)
			.connectTimeout(Duration.ofSeconds(3))
			.reconnect(new ReconnectSettings(Duration.ofMillis(50), Duration.ofMillis(200), 2.0, Jitter.FULL, -1,
					Duration.ofSeconds(30)))
			.heartbeat(HeartbeatSettings.disabled())
			.circuitBreaker(CircuitBreakerSettings.disabled());
	}

	protected ManagedConnection start(ConnectionSettings.Builder settings) {
		return start(ManagedConnection.builder(settings.build()));
	}

	protected ManagedConnection start(ManagedConnectionBuilder builder) {
		ManagedConnection connection = closeLater(
				builder.runtime(this.runtime).handler(this.recording).listener(this.listener).build());
		connection.connect();
		return connection;
	}

	protected static void awaitState(ManagedConnection connection, ConnectionState state) {
		await().atMost(Duration.ofSeconds(15)).until(connection::state, (current) -> current == state);
	}

	/** Sends and waits for the echo. */
	protected void assertEchoes(ManagedConnection connection, String text) {
		connection.send(text);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.received.contains(text));
	}

}
