package io.connectionmanager.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.event.ConnectionRotated;
import io.connectionmanager.core.event.DataSilence;
import io.connectionmanager.core.event.DuplicateDropped;
import io.connectionmanager.core.event.HeartbeatMissed;
import io.connectionmanager.core.event.SequenceGap;
import io.connectionmanager.core.event.StateChange;
import io.connectionmanager.core.event.SubscriptionFailed;
import io.connectionmanager.core.failure.Failure;
import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.state.Trigger;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.event.ConnectionRotatedEvent;
import io.connectionmanager.event.ConnectionStateChangedEvent;
import io.connectionmanager.event.DataSilenceEvent;
import io.connectionmanager.event.DuplicateDroppedEvent;
import io.connectionmanager.event.HeartbeatMissedEvent;
import io.connectionmanager.event.SequenceGapEvent;
import io.connectionmanager.event.SubscriptionFailedEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every core listener callback becomes the matching Spring event, sourced by the
 * connection.
 */
class ApplicationEventPublishingListenerTests {

	private static final Instant AT = Instant.parse("2026-01-02T03:04:05.678Z");

	private static ConnectionRuntime runtime;

	private static ManagedConnection connection;

	private final List<Object> published = new ArrayList<>();

	private final ApplicationEventPublishingListener listener = new ApplicationEventPublishingListener(connection,
			this.published::add);

	@BeforeAll
	static void createConnection() {
		runtime = ConnectionRuntime.create(1);
		connection = ManagedConnection.builder(ConnectionSettings.builder("feed").url("ws://127.0.0.1:1/").build())
			.runtime(runtime)
			.build();
	}

	@AfterAll
	static void closeConnection() {
		connection.close();
		runtime.close();
	}

	@Test
	void stateChange() {
		Failure failure = new Failure(FailureKind.CONNECTION_REFUSED, "refused", false, null, null, AT, null);
		this.listener.onStateChanged(new StateChange("feed", ConnectionState.CONNECTING, ConnectionState.RECONNECTING,
				Trigger.TRANSPORT_FAILED, failure, 3, AT, Duration.ofSeconds(2)));
		assertThat(this.published).singleElement()
			.isInstanceOfSatisfying(ConnectionStateChangedEvent.class, (event) -> {
				assertThat(event.getSource()).isSameAs(connection);
				assertThat(event.getConnection()).isSameAs(connection);
				assertThat(event.getConnectionName()).isEqualTo("feed");
				assertThat(event.getPrevious()).isEqualTo(ConnectionState.CONNECTING);
				assertThat(event.getCurrent()).isEqualTo(ConnectionState.RECONNECTING);
				assertThat(event.getCause()).isSameAs(failure);
				assertThat(event.getAttempt()).isEqualTo(3);
				assertThat(event.getTrigger()).isEqualTo(Trigger.TRANSPORT_FAILED);
				assertThat(event.getRetryIn()).isEqualTo(Duration.ofSeconds(2));
				assertThat(event.getTimestamp()).isEqualTo(AT.toEpochMilli());
				assertThat(event.getInstant()).isEqualTo(AT);
			});
	}

	@Test
	void heartbeatMissed() {
		this.listener.onHeartbeatMissed(new HeartbeatMissed("feed", Duration.ofSeconds(10), AT));
		assertThat(this.published).singleElement().isInstanceOfSatisfying(HeartbeatMissedEvent.class, (event) -> {
			assertThat(event.getConnectionName()).isEqualTo("feed");
			assertThat(event.getSilence()).isEqualTo(Duration.ofSeconds(10));
			assertThat(event.getTimestamp()).isEqualTo(AT.toEpochMilli());
		});
	}

	@Test
	void sequenceGap() {
		this.listener.onSequenceGap(new SequenceGap("feed", 5, 7, AT));
		assertThat(this.published).singleElement().isInstanceOfSatisfying(SequenceGapEvent.class, (event) -> {
			assertThat(event.getFirstMissing()).isEqualTo(5);
			assertThat(event.getLastMissing()).isEqualTo(7);
			assertThat(event.getSize()).isEqualTo(3);
		});
	}

	@Test
	void duplicateDropped() {
		this.listener.onDuplicateDropped(new DuplicateDropped("feed", "4", "6", AT));
		assertThat(this.published).singleElement().isInstanceOfSatisfying(DuplicateDroppedEvent.class, (event) -> {
			assertThat(event.getPosition()).isEqualTo("4");
			assertThat(event.getLastDelivered()).isEqualTo("6");
			assertThat(event.getSource()).isSameAs(connection);
		});
	}

	@Test
	void subscriptionFailed() {
		this.listener.onSubscriptionFailed(new SubscriptionFailed("feed", "trades", "not entitled", 2, AT));
		assertThat(this.published).singleElement().isInstanceOfSatisfying(SubscriptionFailedEvent.class, (event) -> {
			assertThat(event.getKey()).isEqualTo("trades");
			assertThat(event.getReason()).isEqualTo("not entitled");
			assertThat(event.getFailed().attempt()).isEqualTo(2);
			assertThat(event.getInstant()).isEqualTo(AT);
			assertThat(event.getSource()).isSameAs(connection);
		});
	}

	@Test
	void dataSilence() {
		this.listener.onDataSilence(new DataSilence("feed", Duration.ofSeconds(30), AT));
		assertThat(this.published).singleElement().isInstanceOfSatisfying(DataSilenceEvent.class, (event) -> {
			assertThat(event.getSilentFor()).isEqualTo(Duration.ofSeconds(30));
			assertThat(event.getConnectionName()).isEqualTo("feed");
		});
	}

	@Test
	void rotated() {
		this.listener.onRotated(new ConnectionRotated("feed", ConnectionRotated.Reason.MAX_AGE, true,
				Duration.ofHours(23), Duration.ofMillis(40), AT, "wss://feed.example:443"));
		assertThat(this.published).singleElement().isInstanceOfSatisfying(ConnectionRotatedEvent.class, (event) -> {
			assertThat(event.getReason()).isEqualTo(ConnectionRotated.Reason.MAX_AGE);
			assertThat(event.isOverlapped()).isTrue();
			assertThat(event.getHandover()).isEqualTo(Duration.ofMillis(40));
			assertThat(event.getConnectionName()).isEqualTo("feed");
		});
	}

}
