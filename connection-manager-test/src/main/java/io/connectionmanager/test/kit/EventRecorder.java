package io.connectionmanager.test.kit;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.event.ConnectionListener;
import io.connectionmanager.core.event.HeartbeatMissed;
import io.connectionmanager.core.event.StateChange;
import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.core.state.ConnectionState;

/**
 * Records a connection's listener events for assertions
 * ({@link ConnectionManagerAssertions#assertThat(EventRecorder)}). Attach it with
 * {@link #attachTo(ManagedConnection)} before the behaviour under test.
 */
public final class EventRecorder implements ConnectionListener {

	private final List<StateChange> changes = new CopyOnWriteArrayList<>();

	private final List<HeartbeatMissed> heartbeatsMissed = new CopyOnWriteArrayList<>();

	/** A recorder listening to {@code connection} from now on. */
	public static EventRecorder attachTo(ManagedConnection connection) {
		EventRecorder recorder = new EventRecorder();
		connection.addListener(recorder);
		return recorder;
	}

	@Override
	public void onStateChanged(StateChange change) {
		this.changes.add(change);
	}

	@Override
	public void onHeartbeatMissed(HeartbeatMissed missed) {
		this.heartbeatsMissed.add(missed);
	}

	/** Every transition so far, in order. */
	public List<StateChange> stateChanges() {
		return List.copyOf(this.changes);
	}

	/** The state entered by each transition so far, in order. */
	public List<ConnectionState> states() {
		return this.changes.stream().map(StateChange::current).toList();
	}

	/**
	 * The failure kinds behind transitions so far, in order (transitions without a
	 * failure left out).
	 */
	public List<FailureKind> failureKinds() {
		return this.changes.stream().map(StateChange::cause).filter(Objects::nonNull).map((f) -> f.kind()).toList();
	}

	/** Heartbeats missed so far. */
	public List<HeartbeatMissed> heartbeatsMissed() {
		return List.copyOf(this.heartbeatsMissed);
	}

	/** Forget what was recorded. */
	public void clear() {
		this.changes.clear();
		this.heartbeatsMissed.clear();
	}

}
