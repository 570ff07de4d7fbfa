package io.connectionmanager.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.event.ConnectionListener;
import io.connectionmanager.core.event.StateChange;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.test.server.TestWebSocketServer;
import okhttp3.OkHttpClient;

/**
 * Key 5: dead-peer detection. Each round, {@code detectionConnections} managed
 * connections (heartbeat interval = timeout = {@value #HEARTBEAT_MS} ms, so the bound is
 * {@value #HEARTBEAT_MS} + {@value #HEARTBEAT_MS} ms) and as many OkHttp WebSockets
 * ({@code pingInterval} {@value #HEARTBEAT_MS} ms: OkHttp fails a socket when the
 * previous ping's pong has not arrived by the next ping, so its bound is the same 2 x
 * interval) connect to one loopback server, idle for a random 200-700 ms, and then the
 * server freezes: TCP stays open, nothing is read or answered. Detection time = from the
 * freeze to the client leaving CONNECTED (for OkHttp: {@code onFailure}).
 */
final class DetectionScenario {

	static final long HEARTBEAT_MS = 200;

	private final Mode mode;

	private final List<Double> managedMs = new ArrayList<>();

	private final List<Double> okhttpMs = new ArrayList<>();

	private int managedMissed;

	private int okhttpMissed;

	DetectionScenario(Mode mode) {
		this.mode = mode;
	}

	Map<String, Object> run() throws Exception {
		try (ConnectionRuntime runtime = ConnectionRuntime.create()) {
			for (int round = 0; round < this.mode.detectionRounds(); round++) {
				round(runtime);
			}
		}
		Bench.log("detection: managed p50 " + Stats.median(this.managedMs) + " ms, p99 "
				+ Stats.percentile(this.managedMs, 99) + " ms; okhttp p50 " + Stats.median(this.okhttpMs) + " ms, p99 "
				+ Stats.percentile(this.okhttpMs, 99) + " ms");
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("detection_ms_p50", Stats.round(Stats.percentile(this.managedMs, 50), 1));
		out.put("detection_ms_p99", Stats.round(Stats.percentile(this.managedMs, 99), 1));
		out.put("baseline_detection_ms_p50", Stats.round(Stats.percentile(this.okhttpMs, 50), 1));
		out.put("baseline_detection_ms_p99", Stats.round(Stats.percentile(this.okhttpMs, 99), 1));
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("heartbeat", "interval " + HEARTBEAT_MS + " ms, timeout " + HEARTBEAT_MS + " ms (bound "
				+ 2 * HEARTBEAT_MS + " ms); OkHttp pingInterval " + HEARTBEAT_MS + " ms");
		details.put("rounds", this.mode.detectionRounds());
		details.put("managed_ms", Stats.summary(this.managedMs));
		details.put("okhttp_ms", Stats.summary(this.okhttpMs));
		details.put("managed_not_detected", this.managedMissed);
		details.put("okhttp_not_detected", this.okhttpMissed);
		out.put("details", details);
		return out;
	}

	List<Double> managedSamples() {
		return this.managedMs;
	}

	List<Double> okhttpSamples() {
		return this.okhttpMs;
	}

	private void round(ConnectionRuntime runtime) throws Exception {
		int k = this.mode.detectionConnections();
		ConcurrentLinkedQueue<Long> managedLost = new ConcurrentLinkedQueue<>();
		ConcurrentLinkedQueue<Long> okhttpLost = new ConcurrentLinkedQueue<>();
		CountDownLatch up = new CountDownLatch(2 * k);
		OkHttpClient http = OkHttp.client(Duration.ofMillis(HEARTBEAT_MS));
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
		List<ManagedConnection> managed = new ArrayList<>();
		List<OkHttpReconnectingClient> okhttp = new ArrayList<>();
		try (TestWebSocketServer server = TestWebSocketServer.start()) {
			URI uri = server.uri("/detection");
			ThreadLocalRandom random = ThreadLocalRandom.current();
			for (int i = 0; i < k; i++) {
				managed.add(connectManaged(runtime, uri, i, up, managedLost));
				okhttp.add(connectOkHttp(http, scheduler, uri, up, okhttpLost));
				Bench.sleep(random.nextLong(1, 15)); // spread the heartbeat phases
			}
			if (!up.await(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("detection: not every client connected");
			}
			Bench.sleep(random.nextLong(200, 700));
			long frozenAt = System.nanoTime();
			server.freeze();
			Bench.await(() -> managedLost.size() >= k && okhttpLost.size() >= k, Duration.ofSeconds(5));
			collect(frozenAt, managedLost, this.managedMs);
			collect(frozenAt, okhttpLost, this.okhttpMs);
			this.managedMissed += k - managedLost.size();
			this.okhttpMissed += k - okhttpLost.size();
			managed.forEach(ManagedConnection::close);
			okhttp.forEach(OkHttpReconnectingClient::stop);
		}
		finally {
			OkHttp.shutdown(http);
			scheduler.shutdownNow();
		}
	}

	private static void collect(long frozenAt, ConcurrentLinkedQueue<Long> lostAt, List<Double> into) {
		for (long at : lostAt) {
			if (at >= frozenAt) {
				into.add(Bench.millisSince(frozenAt, at));
			}
		}
	}

	private static ManagedConnection connectManaged(ConnectionRuntime runtime, URI uri, int index, CountDownLatch up,
			ConcurrentLinkedQueue<Long> lost) {
		ConnectionSettings settings = Bench.settings("detection-" + index, uri)
			.heartbeat(new HeartbeatSettings(true, Duration.ofMillis(HEARTBEAT_MS), Duration.ofMillis(HEARTBEAT_MS)))
			.build();
		ManagedConnection connection = ManagedConnection.builder(settings)
			.runtime(runtime)
			.listener(new ConnectionListener() {
				private boolean reported;

				@Override
				public void onStateChanged(StateChange change) {
					long now = System.nanoTime();
					if (change.current() == ConnectionState.CONNECTED) {
						up.countDown();
					}
					else if (change.previous() == ConnectionState.CONNECTED && !this.reported) {
						this.reported = true;
						lost.add(now);
					}
				}
			})
			.build();
		connection.connect();
		return connection;
	}

	private static OkHttpReconnectingClient connectOkHttp(OkHttpClient http, ScheduledExecutorService scheduler,
			URI uri, CountDownLatch up, ConcurrentLinkedQueue<Long> lost) {
		OkHttpReconnectingClient client = new OkHttpReconnectingClient(http, uri, scheduler, 1000, 30_000,
				new OkHttpReconnectingClient.Events() {
					private boolean reported;

					@Override
					public void opened(long nanos) {
						up.countDown();
					}

					@Override
					public synchronized void lost(long nanos, long delayMillis) {
						if (!this.reported) {
							this.reported = true;
							lost.add(nanos);
						}
					}
				});
		client.start();
		return client;
	}

}
