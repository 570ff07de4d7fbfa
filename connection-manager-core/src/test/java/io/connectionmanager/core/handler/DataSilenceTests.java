package io.connectionmanager.core.handler;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.backoff.Jitter;
import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.config.InboundSettings;
import io.connectionmanager.core.config.ReconnectSettings;
import io.connectionmanager.core.config.SilenceSettings;
import io.connectionmanager.core.event.ConnectionListener;
import io.connectionmanager.core.event.StateChange;
import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.testing.Measurements;
import io.connectionmanager.core.testing.RecordingListener;
import io.connectionmanager.test.server.ServerConnection;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A feed that keeps answering pings but stops sending data is caught by the data-silence
 * watchdog, within {@code max-silence} plus 10 % or 250 ms (whichever is larger), and
 * never before. Pongs do not count as data.
 */
class DataSilenceTests {

	private static final Duration MAX_SILENCE = Duration.ofSeconds(1);

	private static final long SLACK_NANOS = Math.max(MAX_SILENCE.toNanos() / 10, Duration.ofMillis(250).toNanos());

	private final ConnectionRuntime runtime = ConnectionRuntime.create(1);

	private final TestWebSocketServer server = TestWebSocketServer.start();

	private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();

	private final RecordingListener listener = new RecordingListener();

	private ManagedConnection connection;

	@AfterEach
	void close() {
		this.ticker.shutdownNow();
		if (this.connection != null) {
			this.connection.close();
		}
		this.server.close();
		this.runtime.close();
	}

	@Test
	void aStreamThatAnswersPingsButStopsDataIsReconnectedWithinMaxSilence() {
		AtomicLong lastDataSent = new AtomicLong();
		AtomicInteger streams = new AtomicInteger();
		// The first session gets 20 messages 25 ms apart, then only pongs.
		this.server.onOpen((peer) -> {
			if (streams.incrementAndGet() == 1) {
				stream(peer, 20, lastDataSent);
			}
		});
		List<Long> reconnectingAt = new CopyOnWriteArrayList<>();
		this.connection = start(SilenceSettings.of(MAX_SILENCE, SilenceSettings.OnSilence.RECONNECT),
				new ConnectionListener() {
					@Override
					public void onStateChanged(StateChange change) {
						if (change.current() == ConnectionState.RECONNECTING) {
							reconnectingAt.add(System.nanoTime());
						}
					}
				});

		await().atMost(Duration.ofSeconds(10)).until(() -> !reconnectingAt.isEmpty());
		long pingsDuringSilence = this.server.pingsReceived();
		long detected = reconnectingAt.get(0) - lastDataSent.get();
		assertThat(detected).isGreaterThanOrEqualTo(MAX_SILENCE.toNanos())
			.isLessThanOrEqualTo(MAX_SILENCE.toNanos() + SLACK_NANOS);
		StateChange change = this.listener.changes.stream()
			.filter((each) -> each.current() == ConnectionState.RECONNECTING)
			.findFirst()
			.orElseThrow();
		assertThat(change.cause().kind()).isEqualTo(FailureKind.DATA_SILENCE);
		assertThat(change.cause().fatal()).isFalse();
		assertThat(pingsDuringSilence).as("the peer was pinged, and answered, while silent").isGreaterThanOrEqualTo(2);
		assertThat(this.listener.heartbeatsMissed).isEmpty();
		assertThat(this.listener.silences).hasSize(1);
		assertThat(this.server.closeCodesReceived()).containsExactly(1000);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.connection.state() == ConnectionState.CONNECTED);
		Measurements.record("data-silence", Map.of("maxSilenceMs", MAX_SILENCE.toMillis(), "detectedAfterMs",
				detected / 1_000_000, "boundMs", (MAX_SILENCE.toNanos() + SLACK_NANOS) / 1_000_000));
	}

	@Test
	void withOnSilenceEventTheConnectionStaysUpAndEachSilenceIsReportedOnce() {
		AtomicLong lastDataSent = new AtomicLong();
		this.server.onOpen((peer) -> stream(peer, 5, lastDataSent));
		this.connection = start(SilenceSettings.of(Duration.ofMillis(300), SilenceSettings.OnSilence.EVENT),
				new ConnectionListener() {
				});
		await().atMost(Duration.ofSeconds(5)).until(() -> this.listener.silences.size() == 1);
		// Quiet for three more periods: still one report, still CONNECTED.
		await().pollDelay(Duration.ofMillis(900)).atMost(Duration.ofSeconds(2)).until(() -> true);
		assertThat(this.listener.silences).hasSize(1);
		assertThat(this.connection.state()).isEqualTo(ConnectionState.CONNECTED);
		assertThat(this.listener.silences.get(0).silentFor()).isGreaterThanOrEqualTo(Duration.ofMillis(300));

		this.server.broadcastText("data again");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.listener.silences.size() == 2);
		assertThat(this.connection.state()).isEqualTo(ConnectionState.CONNECTED);
		assertThat(this.listener.count(ConnectionState.RECONNECTING)).isZero();
	}

	private void stream(ServerConnection peer, int messages, AtomicLong lastDataSent) {
		AtomicInteger sent = new AtomicInteger();
		for (int i = 0; i < messages; i++) {
			this.ticker.schedule(() -> {
				lastDataSent.set(System.nanoTime());
				peer.sendText("tick " + sent.incrementAndGet());
			}, 25L * i, TimeUnit.MILLISECONDS);
		}
	}

	private ManagedConnection start(SilenceSettings silence, ConnectionListener probe) {
		ManagedConnection started = ManagedConnection
			.builder(ConnectionSettings.builder("quiet-feed")
				.url(this.server.uri("/ticks").toString())
				.reconnect(new ReconnectSettings(Duration.ofMillis(50), Duration.ofMillis(100), 2.0, Jitter.NONE, -1,
						Duration.ofSeconds(30)))
				// Pings flow all the time: the peer is alive, only its data stopped.
				.heartbeat(new HeartbeatSettings(true, Duration.ofMillis(100), Duration.ofMillis(200)))
				.circuitBreaker(CircuitBreakerSettings.disabled())
				.inbound(InboundSettings.defaults().withSilence(silence))
				.build())
			.runtime(this.runtime)
			.listener(this.listener)
			.listener(probe)
			.build();
		started.connect();
		return started;
	}

}
