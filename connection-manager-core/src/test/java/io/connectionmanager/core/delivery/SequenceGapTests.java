package io.connectionmanager.core.delivery;

import java.time.Duration;
import java.util.List;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.backoff.Jitter;
import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.config.ReconnectSettings;
import io.connectionmanager.core.config.ResumeSettings;
import io.connectionmanager.core.event.SequenceGap;
import io.connectionmanager.core.event.StateChange;
import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.core.resume.GapAction;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.testing.RecordingListener;
import io.connectionmanager.test.server.SequencedStreamServer;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.connectionmanager.core.state.ConnectionState.RECONNECTING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Gap detection against a real server that loses numbers {@value #FIRST_MISSING} to
 * {@value #LAST_MISSING} once: exactly one {@link SequenceGap} with that range, reported
 * to listeners and to the handler. {@link GapAction#DELIVER} (the default) goes on past
 * the gap; {@link GapAction#REPLAY} resumes from the last delivered number, so the range
 * arrives and the stream is complete.
 */
class SequenceGapTests {

	private static final long TOTAL = 3_000;

	private static final long FIRST_MISSING = 1_001;

	private static final long LAST_MISSING = 1_010;

	private final ConnectionRuntime runtime = ConnectionRuntime.create(1);

	private final RecordingListener listener = new RecordingListener();

	@AfterEach
	void release() {
		this.runtime.close();
	}

	/** 20 numbers a millisecond, resumed with {@code ?resume-from=N}. */
	private static SequencedStreamServer lossyServer() {
		return SequencedStreamServer.start(TOTAL, 20, 1000).skipOnce(FIRST_MISSING, LAST_MISSING);
	}

	private ManagedConnection connect(SequencedStreamServer server, SequenceCollector collector) {
		ManagedConnection connection = ManagedConnection
			.builder(ConnectionSettings.builder("gappy")
				.url(server.uri("/stream").toString())
				.reconnect(new ReconnectSettings(Duration.ofMillis(5), Duration.ofMillis(50), 2.0, Jitter.FULL, -1,
						Duration.ofSeconds(30)))
				.heartbeat(HeartbeatSettings.disabled())
				.circuitBreaker(CircuitBreakerSettings.disabled())
				.resume(ResumeSettings.inMemory(ResumeSettings.Carrier.QUERY_PARAMETER, "resume-from"))
				.build())
			.runtime(this.runtime)
			.handler(collector)
			.listener(this.listener)
			.build();
		connection.connect();
		return connection;
	}

	private static void assertTheMissingRange(List<SequenceGap> gaps) {
		assertThat(gaps).singleElement().satisfies((gap) -> {
			assertThat(gap.connection()).isEqualTo("gappy");
			assertThat(gap.firstMissing()).isEqualTo(FIRST_MISSING);
			assertThat(gap.lastMissing()).isEqualTo(LAST_MISSING);
		});
	}

	@Test
	void aSkippedRangeIsReportedOnceAndDeliveryGoesOnPastIt() {
		SequenceCollector collector = new SequenceCollector(0);
		try (SequencedStreamServer server = lossyServer(); ManagedConnection connection = connect(server, collector)) {
			await().atMost(Duration.ofSeconds(30)).until(() -> collector.last() == TOTAL);
			assertTheMissingRange(this.listener.gaps);
			assertTheMissingRange(collector.gaps());
			assertThat(connection.snapshot().gaps()).isOne();
			// Delivered straight on: the one jump is the gap, nothing else was lost or
			// repeated, and the connection never dropped.
			assertThat(collector.jumps()).containsExactly((FIRST_MISSING - 1) + " -> " + (LAST_MISSING + 1));
			assertThat(collector.received()).isEqualTo(TOTAL - (LAST_MISSING - FIRST_MISSING + 1));
			assertThat(this.listener.count(RECONNECTING)).isZero();
			assertThat(server.server().handshakeCount()).isOne();
		}
	}

	@Test
	void replayResumesFromTheLastDeliveredNumberSoTheMissingRangeArrives() {
		SequenceCollector collector = new SequenceCollector(0, GapAction.REPLAY);
		try (SequencedStreamServer server = lossyServer(); ManagedConnection connection = connect(server, collector)) {
			await().atMost(Duration.ofSeconds(30)).until(() -> collector.last() == TOTAL);
			assertTheMissingRange(this.listener.gaps);
			assertTheMissingRange(collector.gaps());
			// Complete, in order, no duplicates: every delivery was the successor of the
			// one before, and there were exactly TOTAL of them.
			assertThat(collector.jumps()).isEmpty();
			assertThat(collector.received()).isEqualTo(TOTAL);
			// One reconnect, caused by the gap, resuming from before the range.
			assertThat(this.listener.changes).filteredOn((change) -> change.current() == RECONNECTING)
				.singleElement()
				.extracting(StateChange::cause)
				.satisfies((cause) -> assertThat(cause.kind()).isEqualTo(FailureKind.SEQUENCE_GAP));
			assertThat(server.server().handshakeCount()).isEqualTo(2);
			String resumeFrom = new QueryStringDecoder(server.server().handshakes().get(1).uri()).parameters()
				.get("resume-from")
				.get(0);
			assertThat(Long.parseLong(resumeFrom)).isLessThan(FIRST_MISSING);
		}
	}

}
