package io.connectionmanager.bench;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.backoff.Jitter;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.ReconnectSettings;
import io.connectionmanager.core.event.ConnectionListener;
import io.connectionmanager.core.event.StateChange;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.test.server.TestWebSocketServer;
import okhttp3.OkHttpClient;

/**
 * Key 6: how late a reconnect lands after the moment it was scheduled for. Each trial
 * kills the server (every connection reset) and restarts it on the same port at once,
 * well before any retry fires. For a managed connection the overshoot is
 * {@code CONNECTED.timestamp - (RECONNECTING.timestamp + RECONNECTING.retryIn)}: timer
 * lateness plus TCP connect, upgrade and the (empty) authentication step. For the OkHttp
 * baseline it is {@code onOpen} minus ({@code onFailure} + the delay its loop scheduled).
 * A sample counts only if the server was listening again before the scheduled attempt and
 * the first attempt succeeded.
 * <p>
 * Backoff: initial {@value #INITIAL_MS} ms with EQUAL jitter (so {@value #INITIAL_MS}/2
 * to {@value #INITIAL_MS} ms), reset after {@value #RESET_AFTER_MS} ms connected, so that
 * every trial starts a fresh sequence; OkHttp's loop waits {@value #INITIAL_MS} ms.
 */
final class RecoveryScenario {

	static final long INITIAL_MS = 400;

	static final long RESET_AFTER_MS = 100;

	private final Mode mode;

	private final List<Double> managedMs = new ArrayList<>();

	private final List<Double> okhttpMs = new ArrayList<>();

	private final AtomicInteger managedInvalid = new AtomicInteger();

	private final AtomicInteger okhttpInvalid = new AtomicInteger();

	RecoveryScenario(Mode mode) {
		this.mode = mode;
	}

	Map<String, Object> run() throws Exception {
		int k = this.mode.recoveryConnections();
		ConcurrentLinkedQueue<Double> managedSamples = new ConcurrentLinkedQueue<>();
		ConcurrentLinkedQueue<Double> okhttpSamples = new ConcurrentLinkedQueue<>();
		OkHttpClient http = OkHttp.client(Duration.ofSeconds(15));
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
		List<ManagedConnection> managed = new ArrayList<>();
		List<OkHttpReconnectingClient> okhttp = new ArrayList<>();
		List<ManagedProbe> probes = new ArrayList<>();
		List<OkHttpProbe> okhttpProbes = new ArrayList<>();
		try (TestWebSocketServer server = TestWebSocketServer.start();
				ConnectionRuntime runtime = ConnectionRuntime.create()) {
			URI uri = server.uri("/recovery");
			ReconnectSettings reconnect = new ReconnectSettings(Duration.ofMillis(INITIAL_MS), Duration.ofSeconds(10),
					2.0, Jitter.EQUAL, -1, Duration.ofMillis(RESET_AFTER_MS));
			for (int i = 0; i < k; i++) {
				ManagedProbe probe = new ManagedProbe(managedSamples);
				probes.add(probe);
				ConnectionSettings settings = Bench.settings("recovery-" + i, uri).reconnect(reconnect).build();
				ManagedConnection connection = ManagedConnection.builder(settings)
					.runtime(runtime)
					.listener(probe)
					.build();
				managed.add(connection);
				connection.connect();
				OkHttpProbe okhttpProbe = new OkHttpProbe(okhttpSamples);
				okhttpProbes.add(okhttpProbe);
				OkHttpReconnectingClient client = new OkHttpReconnectingClient(http, uri, scheduler, INITIAL_MS, 10_000,
						okhttpProbe);
				okhttp.add(client);
				client.start();
			}
			for (int trial = 0; trial < this.mode.recoveryTrials(); trial++) {
				if (!Bench.await(() -> probes.stream().allMatch(ManagedProbe::connected)
						&& okhttpProbes.stream().allMatch(OkHttpProbe::connected), Duration.ofSeconds(30))) {
					throw new IllegalStateException("recovery: clients did not reconnect");
				}
				Bench.sleep(2 * RESET_AFTER_MS + 100);
				probes.forEach(ManagedProbe::arm);
				okhttpProbes.forEach(OkHttpProbe::arm);
				server.kill();
				Bench.restart(server);
				Instant restartedAt = Instant.now();
				long restartedNanos = System.nanoTime();
				probes.forEach((probe) -> probe.serverBackAt = restartedAt);
				okhttpProbes.forEach((probe) -> probe.serverBackAt = restartedNanos);
			}
			Bench.await(() -> probes.stream().allMatch(ManagedProbe::connected)
					&& okhttpProbes.stream().allMatch(OkHttpProbe::connected), Duration.ofSeconds(30));
			managed.forEach(ManagedConnection::close);
			okhttp.forEach(OkHttpReconnectingClient::close);
		}
		finally {
			OkHttp.shutdown(http);
			scheduler.shutdownNow();
		}
		this.managedMs.addAll(managedSamples);
		this.okhttpMs.addAll(okhttpSamples);
		probes.forEach((probe) -> this.managedInvalid.addAndGet(probe.invalid));
		okhttpProbes.forEach((probe) -> this.okhttpInvalid.addAndGet(probe.invalid));
		Bench.log("recovery: managed overshoot p50 " + Stats.median(this.managedMs) + " ms (" + this.managedMs.size()
				+ " samples), okhttp p50 " + Stats.median(this.okhttpMs) + " ms (" + this.okhttpMs.size() + ")");
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("recovery_overshoot_ms_p50", Stats.round(Stats.percentile(this.managedMs, 50), 2));
		out.put("baseline_recovery_overshoot_ms_p50", Stats.round(Stats.percentile(this.okhttpMs, 50), 2));
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("trials", this.mode.recoveryTrials());
		details.put("connections_per_client_per_trial", k);
		details.put("backoff", "initial " + INITIAL_MS + " ms, EQUAL jitter, reset after " + RESET_AFTER_MS
				+ " ms; OkHttp loop: " + INITIAL_MS + " ms");
		details.put("managed_ms", Stats.summary(this.managedMs));
		details.put("okhttp_ms", Stats.summary(this.okhttpMs));
		details.put("managed_samples_discarded", this.managedInvalid.get());
		details.put("okhttp_samples_discarded", this.okhttpInvalid.get());
		out.put("details", details);
		return out;
	}

	List<Double> managedSamples() {
		return this.managedMs;
	}

	List<Double> okhttpSamples() {
		return this.okhttpMs;
	}

	/** Follows one managed connection through a trial; runs on its event loop. */
	private static final class ManagedProbe implements ConnectionListener {

		private final ConcurrentLinkedQueue<Double> samples;

		private volatile boolean connected;

		private volatile boolean armed;

		volatile Instant serverBackAt;

		private Instant scheduledAt;

		private int attempts;

		int invalid;

		ManagedProbe(ConcurrentLinkedQueue<Double> samples) {
			this.samples = samples;
		}

		boolean connected() {
			return this.connected;
		}

		void arm() {
			this.serverBackAt = null;
			this.scheduledAt = null;
			this.attempts = 0;
			this.armed = true;
		}

		@Override
		public void onStateChanged(StateChange change) {
			switch (change.current()) {
				case RECONNECTING -> {
					this.connected = false;
					if (this.armed && this.scheduledAt == null && change.retryIn() != null) {
						this.scheduledAt = change.timestamp().plus(change.retryIn());
					}
				}
				case CONNECTING -> this.attempts++;
				case CONNECTED -> {
					if (this.armed && this.scheduledAt != null) {
						Instant back = this.serverBackAt;
						if (this.attempts == 1 && back != null && back.isBefore(this.scheduledAt)) {
							this.samples.add(Duration.between(this.scheduledAt, change.timestamp()).toNanos() / 1e6);
						}
						else {
							this.invalid++;
						}
						this.armed = false;
					}
					this.connected = true;
				}
				default -> this.connected = false;
			}
		}

	}

	/** Follows one OkHttp client through a trial; runs on OkHttp's threads. */
	private static final class OkHttpProbe implements OkHttpReconnectingClient.Events {

		private final ConcurrentLinkedQueue<Double> samples;

		private volatile boolean connected;

		private volatile boolean armed;

		volatile long serverBackAt;

		private long scheduledAt;

		private int attempts;

		int invalid;

		OkHttpProbe(ConcurrentLinkedQueue<Double> samples) {
			this.samples = samples;
		}

		boolean connected() {
			return this.connected;
		}

		synchronized void arm() {
			this.serverBackAt = 0;
			this.scheduledAt = 0;
			this.attempts = 0;
			this.armed = true;
		}

		@Override
		public synchronized void attempt(long nanos) {
			this.attempts++;
		}

		@Override
		public synchronized void lost(long nanos, long delayMillis) {
			this.connected = false;
			if (this.armed && this.scheduledAt == 0) {
				this.scheduledAt = nanos + TimeUnit.MILLISECONDS.toNanos(delayMillis);
			}
		}

		@Override
		public synchronized void opened(long nanos) {
			if (this.armed && this.scheduledAt != 0) {
				long back = this.serverBackAt;
				if (this.attempts == 1 && back != 0 && back - this.scheduledAt < 0) {
					this.samples.add((nanos - this.scheduledAt) / 1e6);
				}
				else {
					this.invalid++;
				}
				this.armed = false;
			}
			this.connected = true;
		}

	}

}
