package io.connectionmanager.reliability.support;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.event.ConnectionListener;
import io.connectionmanager.core.event.HeartbeatMissed;
import io.connectionmanager.core.event.StateChange;
import io.connectionmanager.core.failure.Failure;
import io.connectionmanager.core.state.ConnectionState;

import static org.awaitility.Awaitility.await;

/**
 * Every transition of a connection with the monotonic time it was seen, for detection and
 * recovery times.
 */
public final class StateTimeline implements ConnectionListener {

	/** One transition and when it happened ({@link System#nanoTime()}). */
	public record Entry(long nanos, StateChange change) {

		public ConnectionState state() {
			return this.change.current();
		}

	}

	private final List<Entry> entries = new CopyOnWriteArrayList<>();

	private final List<HeartbeatMissed> heartbeatsMissed = new CopyOnWriteArrayList<>();

	@Override
	public void onStateChanged(StateChange change) {
		this.entries.add(new Entry(System.nanoTime(), change));
	}

	@Override
	public void onHeartbeatMissed(HeartbeatMissed missed) {
		this.heartbeatsMissed.add(missed);
	}

	public List<Entry> entries() {
		return List.copyOf(this.entries);
	}

	public List<HeartbeatMissed> heartbeatsMissed() {
		return List.copyOf(this.heartbeatsMissed);
	}

	/** The first time the connection left CONNECTED at or after {@code nanos}. */
	public Optional<Entry> firstLossAfter(long nanos) {
		return this.entries.stream()
			.filter((entry) -> entry.nanos() - nanos >= 0 && entry.change().previous() == ConnectionState.CONNECTED
					&& entry.state() != ConnectionState.CONNECTED)
			.findFirst();
	}

	/** The first time the connection became CONNECTED at or after {@code nanos}. */
	public Optional<Entry> firstConnectedAfter(long nanos) {
		return this.entries.stream()
			.filter((entry) -> entry.nanos() - nanos >= 0 && entry.state() == ConnectionState.CONNECTED)
			.findFirst();
	}

	/**
	 * The cause of the first failed transition (a lost session or a failed attempt), if
	 * any.
	 */
	public Optional<Failure> firstFailure() {
		return this.entries.stream()
			.map((entry) -> entry.change().cause())
			.filter((cause) -> cause != null)
			.findFirst();
	}

	public long count(ConnectionState state) {
		return this.entries.stream().filter((entry) -> entry.state() == state).count();
	}

	public void clear() {
		this.entries.clear();
		this.heartbeatsMissed.clear();
	}

	public static void awaitState(ManagedConnection connection, ConnectionState state, Duration atMost) {
		await().atMost(atMost).until(connection::state, (current) -> current == state);
	}

	public static void awaitState(ManagedConnection connection, ConnectionState state) {
		awaitState(connection, state, Duration.ofSeconds(10));
	}

}
