package io.connectionmanager.reliability.support;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.failure.Failure;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.transport.Message;

import static org.awaitility.Awaitility.await;

/**
 * A connection under test with everything it did recorded: its transitions and the
 * messages it delivered.
 */
public final class Observed implements AutoCloseable {

	private final ManagedConnection connection;

	private final StateTimeline timeline = new StateTimeline();

	private final List<Message> messages = new CopyOnWriteArrayList<>();

	private Observed(ConnectionRuntime runtime, ConnectionSettings settings) {
		this.connection = ManagedConnection.builder(settings)
			.runtime(runtime)
			.listener(this.timeline)
			.handler(new ConnectionHandler() {
				@Override
				public void onMessage(Message message) {
					Observed.this.messages.add(message);
				}
			})
			.build();
	}

	/** Builds and connects. */
	public static Observed connect(ConnectionRuntime runtime, ConnectionSettings settings) {
		Observed observed = new Observed(runtime, settings);
		observed.connection.connect();
		return observed;
	}

	public ManagedConnection connection() {
		return this.connection;
	}

	public StateTimeline timeline() {
		return this.timeline;
	}

	public List<Message> messages() {
		return this.messages;
	}

	/**
	 * Waits for the first classified failure (of an attempt or of an open session) and
	 * returns it.
	 */
	public Failure awaitFirstFailure(Duration atMost) {
		await().atMost(atMost).until(() -> this.timeline.firstFailure().isPresent());
		return this.timeline.firstFailure().orElseThrow();
	}

	public Failure awaitFirstFailure() {
		return awaitFirstFailure(Duration.ofSeconds(10));
	}

	@Override
	public void close() {
		this.connection.close();
	}

}
