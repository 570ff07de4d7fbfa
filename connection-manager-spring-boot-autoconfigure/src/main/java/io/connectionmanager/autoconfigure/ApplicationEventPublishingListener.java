package io.connectionmanager.autoconfigure;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.event.ConnectionListener;
import io.connectionmanager.core.event.ConnectionRotated;
import io.connectionmanager.core.event.DataSilence;
import io.connectionmanager.core.event.DuplicateDropped;
import io.connectionmanager.core.event.HeartbeatMissed;
import io.connectionmanager.core.event.SequenceGap;
import io.connectionmanager.core.event.StateChange;
import io.connectionmanager.core.event.SubscriptionFailed;
import io.connectionmanager.event.ConnectionStateChangedEvent;
import io.connectionmanager.event.ConnectionRotatedEvent;
import io.connectionmanager.event.DataSilenceEvent;
import io.connectionmanager.event.DuplicateDroppedEvent;
import io.connectionmanager.event.HeartbeatMissedEvent;
import io.connectionmanager.event.SequenceGapEvent;
import io.connectionmanager.event.SubscriptionFailedEvent;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Bridges a connection's core {@link ConnectionListener} callbacks to Spring application
 * events. The core calls listeners in order per connection and off the event loops, so
 * events are published the same way.
 */
final class ApplicationEventPublishingListener implements ConnectionListener {

	private final ManagedConnection connection;

	private final ApplicationEventPublisher publisher;

	ApplicationEventPublishingListener(ManagedConnection connection, ApplicationEventPublisher publisher) {
		this.connection = connection;
		this.publisher = publisher;
	}

	@Override
	public void onStateChanged(StateChange change) {
		this.publisher.publishEvent(new ConnectionStateChangedEvent(this.connection, change));
	}

	@Override
	public void onHeartbeatMissed(HeartbeatMissed missed) {
		this.publisher.publishEvent(new HeartbeatMissedEvent(this.connection, missed));
	}

	@Override
	public void onSequenceGap(SequenceGap gap) {
		this.publisher.publishEvent(new SequenceGapEvent(this.connection, gap));
	}

	@Override
	public void onDuplicateDropped(DuplicateDropped duplicate) {
		this.publisher.publishEvent(new DuplicateDroppedEvent(this.connection, duplicate));
	}

	@Override
	public void onSubscriptionFailed(SubscriptionFailed failed) {
		this.publisher.publishEvent(new SubscriptionFailedEvent(this.connection, failed));
	}

	@Override
	public void onRotated(ConnectionRotated rotated) {
		this.publisher.publishEvent(new ConnectionRotatedEvent(this.connection, rotated));
	}

	@Override
	public void onDataSilence(DataSilence silence) {
		this.publisher.publishEvent(new DataSilenceEvent(this.connection, silence));
	}

}
