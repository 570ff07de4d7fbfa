package io.connectionmanager.core.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.connectionmanager.core.event.ConnectionListener;
import io.connectionmanager.core.event.ConnectionRotated;
import io.connectionmanager.core.event.DataSilence;
import io.connectionmanager.core.event.DuplicateDropped;
import io.connectionmanager.core.event.HeartbeatMissed;
import io.connectionmanager.core.event.SequenceGap;
import io.connectionmanager.core.event.StateChange;
import io.connectionmanager.core.event.SubscriptionFailed;
import io.connectionmanager.core.state.ConnectionState;

/** Records what a connection reports, thread-safely. */
public final class RecordingListener implements ConnectionListener {

	public final List<StateChange> changes = new CopyOnWriteArrayList<>();

	public final List<HeartbeatMissed> heartbeatsMissed = new CopyOnWriteArrayList<>();

	public final List<SequenceGap> gaps = new CopyOnWriteArrayList<>();

	public final List<DuplicateDropped> duplicates = new CopyOnWriteArrayList<>();

	public final List<SubscriptionFailed> subscriptionFailures = new CopyOnWriteArrayList<>();

	public final List<DataSilence> silences = new CopyOnWriteArrayList<>();

	public final List<ConnectionRotated> rotations = new CopyOnWriteArrayList<>();

	@Override
	public void onStateChanged(StateChange change) {
		this.changes.add(change);
	}

	@Override
	public void onHeartbeatMissed(HeartbeatMissed missed) {
		this.heartbeatsMissed.add(missed);
	}

	@Override
	public void onSequenceGap(SequenceGap gap) {
		this.gaps.add(gap);
	}

	@Override
	public void onDuplicateDropped(DuplicateDropped duplicate) {
		this.duplicates.add(duplicate);
	}

	@Override
	public void onSubscriptionFailed(SubscriptionFailed failed) {
		this.subscriptionFailures.add(failed);
	}

	@Override
	public void onDataSilence(DataSilence silence) {
		this.silences.add(silence);
	}

	@Override
	public void onRotated(ConnectionRotated rotated) {
		this.rotations.add(rotated);
	}

	public List<ConnectionState> states() {
		return this.changes.stream().map(StateChange::current).toList();
	}

	public long count(ConnectionState state) {
		return this.changes.stream().filter((change) -> change.current() == state).count();
	}

}
