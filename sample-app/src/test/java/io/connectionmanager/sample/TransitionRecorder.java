package io.connectionmanager.sample;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.event.ConnectionStateChangedEvent;
import io.connectionmanager.event.HeartbeatMissedEvent;

import org.springframework.boot.test.context.TestComponent;
import org.springframework.context.event.EventListener;

/** Records the Spring events the starter publishes, as the application would see them. */
@TestComponent
public class TransitionRecorder {

	private final List<ConnectionStateChangedEvent> transitions = new CopyOnWriteArrayList<>();

	private final List<HeartbeatMissedEvent> heartbeatsMissed = new CopyOnWriteArrayList<>();

	@EventListener
	void on(ConnectionStateChangedEvent event) {
		this.transitions.add(event);
	}

	@EventListener
	void on(HeartbeatMissedEvent event) {
		this.heartbeatsMissed.add(event);
	}

	public void clear() {
		this.transitions.clear();
		this.heartbeatsMissed.clear();
	}

	public List<ConnectionStateChangedEvent> transitions(String connection) {
		return this.transitions.stream().filter((e) -> e.getConnectionName().equals(connection)).toList();
	}

	public List<ConnectionStateChangedEvent> matching(String connection,
			Predicate<ConnectionStateChangedEvent> predicate) {
		return transitions(connection).stream().filter(predicate).toList();
	}

	/**
	 * Transitions of {@code connection} into {@code state} caused by a failure of
	 * {@code kind}.
	 */
	public List<ConnectionStateChangedEvent> into(String connection, ConnectionState state, FailureKind kind) {
		return matching(connection,
				(e) -> e.getCurrent() == state && e.getCause() != null && e.getCause().kind() == kind);
	}

	public boolean reached(String connection, ConnectionState state) {
		return transitions(connection).stream().anyMatch((e) -> e.getCurrent() == state);
	}

	public List<HeartbeatMissedEvent> heartbeatsMissed(String connection) {
		return this.heartbeatsMissed.stream().filter((e) -> e.getConnectionName().equals(connection)).toList();
	}

}
