package io.connectionmanager.reliability.faults;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.net.URI;
import java.time.Duration;

import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.reliability.support.Settings;
import io.connectionmanager.reliability.support.StateTimeline;
import io.connectionmanager.reliability.support.StreamThroughProxy;
import io.connectionmanager.test.proxy.FaultInjectingProxy;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.Test;

import static io.connectionmanager.core.state.ConnectionState.CONNECTED;
import static io.connectionmanager.core.state.ConnectionState.RECONNECTING;
import static io.connectionmanager.reliability.support.Delivery.assertExactlyOnceInOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One network fault at a time, injected by a TCP proxy between a resuming client and a
 * numbered stream: each is detected with the right classification within its bound, the
 * connection comes back, and the stream arrives exactly once and in order.
 */
class ProxyFaultTests {

	private static final Duration LONG = Duration.ofSeconds(30);

	/** 10,000 numbers a second: a fault always lands mid-stream. */
	private static StreamThroughProxy stream(long total, long heartbeatMillis) {
		return StreamThroughProxy.start(total, 20, 2000, Settings.heartbeat(heartbeatMillis, heartbeatMillis));
	}

	private static long millisSince(long nanos, long later) {
		return (later - nanos) / 1_000_000;
	}

	@Test
	void aCutConnectionIsLostAtOnceAndTheStreamResumesExactlyOnce() {
		try (StreamThroughProxy fixture = stream(20_000, 500)) {
			fixture.awaitReceived(3_000, LONG);
			long cutAt = System.nanoTime();
			fixture.proxy().cut();
			StateTimeline.Entry loss = awaitLoss(fixture, cutAt);
			assertThat(loss.change().cause().kind()).isEqualTo(FailureKind.CONNECTION_LOST);
			assertThat(loss.change().cause().fatal()).isFalse();
			assertDetectedByTheTransport(fixture, cutAt, loss);
			fixture.awaitComplete(LONG);
			assertExactlyOnceInOrder(fixture.collector(), fixture.total());
			assertThat(fixture.server().server().handshakes().get(1).uri()).contains("resume-from=");
		}
	}

	@Test
	void aResetConnectionIsLostAtOnceAndTheStreamResumesExactlyOnce() {
		try (StreamThroughProxy fixture = stream(20_000, 500)) {
			fixture.awaitReceived(3_000, LONG);
			long resetAt = System.nanoTime();
			fixture.proxy().reset();
			StateTimeline.Entry loss = awaitLoss(fixture, resetAt);
			assertThat(loss.change().cause().kind()).isEqualTo(FailureKind.CONNECTION_LOST);
			assertDetectedByTheTransport(fixture, resetAt, loss);
			fixture.awaitComplete(LONG);
			assertExactlyOnceInOrder(fixture.collector(), fixture.total());
		}
	}

	@Test
	void aBlackholeIsDetectedByTheHeartbeatWithinIntervalPlusTimeout() {
		long heartbeat = 300;
		try (StreamThroughProxy fixture = stream(20_000, heartbeat)) {
			fixture.awaitReceived(3_000, LONG);
			long blackholedAt = System.nanoTime();
			fixture.proxy().blackhole();
			StateTimeline.Entry loss = awaitLoss(fixture, blackholedAt);
			assertThat(loss.change().cause().kind()).isEqualTo(FailureKind.HEARTBEAT_TIMEOUT);
			assertThat(fixture.timeline().heartbeatsMissed()).hasSize(1);
			// interval + timeout (exact on virtual time in the core's tests), with
			// generous slack for a busy machine
			assertThat(millisSince(blackholedAt, loss.nanos())).as("detection ms").isLessThan(2 * heartbeat + 3_000);
			assertThat(fixture.timeline().heartbeatsMissed().get(0).silence())
				.isGreaterThanOrEqualTo(Duration.ofMillis(heartbeat));
			// While the hole lasts, attempts get through TCP but never through the
			// upgrade.
			await().atMost(LONG)
				.until(() -> fixture.timeline()
					.entries()
					.stream()
					.anyMatch((entry) -> entry.change().cause() != null
							&& entry.change().cause().kind() == FailureKind.CONNECT_TIMEOUT));
			long healedAt = System.nanoTime();
			fixture.proxy().heal();
			StateTimeline.awaitState(fixture.connection(), CONNECTED, LONG);
			assertThat(fixture.timeline().firstConnectedAfter(healedAt)).isPresent();
			fixture.awaitComplete(LONG);
			assertExactlyOnceInOrder(fixture.collector(), fixture.total());
		}
	}

	@Test
	void corruptedBytesAreAProtocolErrorAndResumeRepairsTheStream() {
		try (StreamThroughProxy fixture = stream(20_000, 500)) {
			fixture.awaitReceived(3_000, LONG);
			long corruptedAt = System.nanoTime();
			fixture.proxy().corruptNextBytes(1);
			StateTimeline.Entry loss = awaitLoss(fixture, corruptedAt);
			// A flipped frame header is a protocol error. A flipped payload byte is not
			// caught by the transport (see
			// HostileWebSocketPeerTests#invalidUtf8): the message no longer parses, is
			// dropped, and the next one
			// reveals the gap, which the handler answers with a replay.
			assertThat(loss.change().cause().kind()).isIn(FailureKind.PROTOCOL_ERROR, FailureKind.SEQUENCE_GAP);
			assertThat(loss.change().cause().fatal()).isFalse();
			fixture.awaitComplete(LONG);
			assertExactlyOnceInOrder(fixture.collector(), fixture.total());
		}
	}

	@Test
	void randomCorruptionFromASeedNeverReachesTheApplication() {
		try (StreamThroughProxy fixture = stream(20_000, 500)) {
			fixture.awaitReceived(2_000, LONG);
			fixture.proxy().corrupt(0.0005, 42);
			await().atMost(LONG).until(() -> fixture.timeline().count(RECONNECTING) >= 3);
			fixture.proxy().heal();
			fixture.awaitComplete(LONG);
			assertExactlyOnceInOrder(fixture.collector(), fixture.total());
			assertThat(fixture.timeline().entries())
				.filteredOn((entry) -> entry.change().previous() == CONNECTED && entry.change().cause() != null)
				.allSatisfy((entry) -> assertThat(entry.change().cause().kind()).isIn(FailureKind.PROTOCOL_ERROR,
						FailureKind.MESSAGE_TOO_LARGE, FailureKind.SEQUENCE_GAP));
		}
	}

	@Test
	void aThrottledLinkSlowsTheStreamButNeitherDropsTheConnectionNorLosesData() {
		long total = 6_000; // about 36 KB of frames, sent as fast as the link takes them
		long bytesPerSecond = 10_000;
		try (StreamThroughProxy fixture = StreamThroughProxy.start(total, 256, 0, Settings.heartbeat(500, 500),
				(proxy) -> proxy.throttle(bytesPerSecond))) {
			long connectedAt = System.nanoTime();
			long forwardedWhenConnected = fixture.proxy().bytesForwarded();
			fixture.awaitComplete(LONG);
			long elapsedMillis = Math.max(1, millisSince(connectedAt, System.nanoTime()));
			long bytes = fixture.proxy().bytesForwarded() - forwardedWhenConnected;
			// The throttle was on from the first byte, so most of the stream is still to
			// come once connected.
			assertThat(bytes).as("bytes after connecting").isGreaterThan(10_000);
			// The rate achieved is the throttle's, with room for its first slice and
			// for timers; a slow machine only lowers it. Unthrottled it is several
			// times higher (58 KB/s measured on a loaded 2-core machine).
			assertThat(bytes * 1000 / elapsedMillis).as("bytes per second through the throttle")
				.isLessThanOrEqualTo(2 * bytesPerSecond);
			assertThat(fixture.timeline().count(RECONNECTING)).as("reconnects").isZero();
			assertExactlyOnceInOrder(fixture.collector(), total);
		}
	}

	@Test
	void latencyIsToleratedAndShowsInTheHeartbeatRoundTrip() {
		try (ConnectionRuntime runtime = ConnectionRuntime.create(1);
				TestWebSocketServer server = TestWebSocketServer.start();
				FaultInjectingProxy proxy = FaultInjectingProxy.start(server.port())) {
			StateTimeline timeline = new StateTimeline();
			List<String> echoes = new CopyOnWriteArrayList<>();
			ManagedConnection connection = ManagedConnection
				.builder(Settings.fast("echo", URI.create("ws://127.0.0.1:" + proxy.port() + "/echo"))
					.heartbeat(Settings.heartbeat(200, 1500))
					.build())
				.runtime(runtime)
				.listener(timeline)
				.handler(new ConnectionHandler() {
					@Override
					public void onMessage(Message message) {
						echoes.add(((Message.Text) message).text());
					}
				})
				.build();
			connection.connect();
			StateTimeline.awaitState(connection, CONNECTED);
			proxy.delay(Duration.ofMillis(250));
			await().atMost(LONG)
				.until(() -> connection.snapshot().heartbeatRoundTrip() != null
						&& connection.snapshot().heartbeatRoundTrip().toMillis() >= 500);
			connection.send("still here");
			await().atMost(LONG).until(() -> echoes.contains("still here"));
			assertThat(timeline.count(RECONNECTING)).isZero();
			proxy.heal();
			await().atMost(LONG).until(() -> connection.snapshot().heartbeatRoundTrip().toMillis() < 250);
			connection.close();
		}
	}

	@Test
	void refusedConnectionsAreRetriedUntilTheLinkAcceptsAgain() {
		try (StreamThroughProxy fixture = stream(20_000, 500)) {
			fixture.awaitReceived(2_000, LONG);
			fixture.proxy().refuseNewConnections(true);
			long before = fixture.proxy().connectionCount();
			fixture.proxy().reset();
			await().atMost(LONG).until(() -> fixture.proxy().connectionCount() >= before + 5);
			assertThat(fixture.connection().state()).isNotEqualTo(CONNECTED);
			assertThat(fixture.connection().snapshot().lastFailure().kind()).isEqualTo(FailureKind.CONNECTION_LOST);
			assertThat(fixture.connection().snapshot().lastFailure().fatal()).isFalse();
			fixture.proxy().refuseNewConnections(false);
			fixture.awaitComplete(LONG);
			assertExactlyOnceInOrder(fixture.collector(), fixture.total());
		}
	}

	/**
	 * A cut or reset is seen by the transport itself: lost with CONNECTION_LOST before
	 * the heartbeat (interval + timeout, 1 s here) could have noticed anything, within a
	 * generous bound.
	 */
	private static void assertDetectedByTheTransport(StreamThroughProxy fixture, long faultAt,
			StateTimeline.Entry loss) {
		assertThat(fixture.timeline().heartbeatsMissed()).as("heartbeats missed").isEmpty();
		assertThat(millisSince(faultAt, loss.nanos())).as("detection ms").isLessThan(5_000);
	}

	private static StateTimeline.Entry awaitLoss(StreamThroughProxy fixture, long after) {
		await().atMost(LONG).until(() -> fixture.timeline().firstLossAfter(after).isPresent());
		return fixture.timeline().firstLossAfter(after).orElseThrow();
	}

}
