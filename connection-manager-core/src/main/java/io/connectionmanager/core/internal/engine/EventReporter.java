package io.connectionmanager.core.internal.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import io.connectionmanager.core.event.ConnectionListener;
import io.connectionmanager.core.event.ConnectionRotated;
import io.connectionmanager.core.event.DataSilence;
import io.connectionmanager.core.event.DuplicateDropped;
import io.connectionmanager.core.event.HeartbeatMissed;
import io.connectionmanager.core.event.SequenceGap;
import io.connectionmanager.core.event.StateChange;
import io.connectionmanager.core.event.SubscriptionFailed;

/**
 * Tells the connection's listeners (and through them Spring's event publisher) what
 * happened, off the event loop and in order: a listener that takes its time delays only
 * later events of its own connection, never a heartbeat or another connection.
 */
final class EventReporter {

	private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();

	private final SerialLane lane;

	/**
	 * @param pool where listeners run (the handler pool)
	 * @param failures told of every {@link Throwable} a listener throws
	 */
	EventReporter(List<ConnectionListener> listeners, Executor pool, Consumer<Throwable> failures) {
		this.listeners.addAll(listeners);
		this.lane = new SerialLane(pool, failures);
	}

	void add(ConnectionListener listener) {
		this.listeners.add(listener);
	}

	void remove(ConnectionListener listener) {
		this.listeners.remove(listener);
	}

	void stateChanged(StateChange change) {
		each((listener) -> listener.onStateChanged(change));
	}

	void heartbeatMissed(HeartbeatMissed missed) {
		each((listener) -> listener.onHeartbeatMissed(missed));
	}

	void duplicateDropped(DuplicateDropped dropped) {
		each((listener) -> listener.onDuplicateDropped(dropped));
	}

	void sequenceGap(SequenceGap gap) {
		each((listener) -> listener.onSequenceGap(gap));
	}

	void subscriptionFailed(SubscriptionFailed failed) {
		each((listener) -> listener.onSubscriptionFailed(failed));
	}

	void rotated(ConnectionRotated rotated) {
		each((listener) -> listener.onRotated(rotated));
	}

	void dataSilence(DataSilence silence) {
		each((listener) -> listener.onDataSilence(silence));
	}

	/** Whether every event reported so far has been handled. */
	boolean isIdle() {
		return this.lane.isIdle();
	}

	private void each(Consumer<ConnectionListener> event) {
		if (this.listeners.isEmpty()) {
			return;
		}
		// Each listener in its own task: one that throws does not keep the event from the
		// others.
		for (ConnectionListener listener : this.listeners) {
			this.lane.execute(() -> event.accept(listener));
		}
	}

}
