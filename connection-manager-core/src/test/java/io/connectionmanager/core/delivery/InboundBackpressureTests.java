package io.connectionmanager.core.delivery;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.state.ConnectionSnapshot;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.config.InboundSettings;
import io.connectionmanager.core.config.ResumeSettings;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.testing.Measurements;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.test.server.SequencedStreamServer;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A handler that stops keeping up costs bounded memory and does not stall other
 * connections.
 */
class InboundBackpressureTests {

	/**
	 * What may land after reading pauses: one read (capped at a quarter of the bound)
	 * plus one partial message and its frame headers.
	 */
	private static final long READ_SLACK = 32 * 1024 / 4 + 2 * 1024;

	@Test
	void aBlockedHandlerKeepsQueuedBytesUnderTheBoundAndTheStreamCompletesWhenItResumes() throws Exception {
		long total = 1_000_000;
		long maxQueuedBytes = 32 * 1024;
		CountDownLatch release = new CountDownLatch(1);
		try (ConnectionRuntime runtime = ConnectionRuntime.create(1);
				SequencedStreamServer stream = SequencedStreamServer.start(total);
				TestWebSocketServer echo = TestWebSocketServer.start()) {
			SequenceCollector collector = new SequenceCollector(0) {
				@Override
				public void onMessage(Message message) {
					awaitRelease(release);
					super.onMessage(message);
				}
			};
			ManagedConnection slow = ManagedConnection
				.builder(ConnectionSettings.builder("slow")
					.url(stream.uri("/stream").toString())
					.heartbeat(HeartbeatSettings.disabled())
					.circuitBreaker(CircuitBreakerSettings.disabled())
					.inbound(new InboundSettings(1024, 1_000_000, maxQueuedBytes))
					.resume(ResumeSettings.inMemory(ResumeSettings.Carrier.QUERY_PARAMETER, "resume-from"))
					.build())
				.runtime(runtime)
				.handler(collector)
				.build();
			slow.connect();
			await().atMost(Duration.ofSeconds(5)).until(() -> slow.snapshot().inboundQueuedBytes() >= maxQueuedBytes);
			// Reading has paused: the queue stops growing although the server has ~6.9 MB
			// more to send.
			await().during(Duration.ofMillis(500))
				.atMost(Duration.ofSeconds(2))
				.until(() -> slow.snapshot().inboundQueuedBytes() <= maxQueuedBytes + READ_SLACK);

			// The shared event loop is not blocked: another connection on the same single
			// loop still works.
			ManagedConnection other = ManagedConnection
				.builder(ConnectionSettings.builder("other")
					.url(echo.uri("/echo").toString())
					.heartbeat(HeartbeatSettings.disabled())
					.build())
				.runtime(runtime)
				.build();
			other.connect();
			await().atMost(Duration.ofSeconds(5)).until(() -> other.state() == ConnectionState.CONNECTED);
			other.send("still responsive");
			await().atMost(Duration.ofSeconds(5)).until(() -> echo.textMessagesReceived() == 1);

			release.countDown();
			await().atMost(Duration.ofSeconds(60)).until(() -> collector.received() == total);
			ConnectionSnapshot snapshot = slow.snapshot();
			assertThat(snapshot.inboundPeakBytes()).isLessThanOrEqualTo(maxQueuedBytes + READ_SLACK);
			assertThat(collector.outOfOrder()).isZero();
			assertThat(snapshot.inboundQueued()).isZero();
			Measurements.record("slow-handler", Map.of("maxQueuedBytes", maxQueuedBytes, "peakQueuedBytes",
					snapshot.inboundPeakBytes(), "messages", total));
			other.close();
			slow.close();
		}
	}

	private static void awaitRelease(CountDownLatch release) {
		try {
			release.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
