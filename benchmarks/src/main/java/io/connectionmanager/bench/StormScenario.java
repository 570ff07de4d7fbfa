package io.connectionmanager.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

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
 * Key 4: a reconnect storm. 1,000 connections to one loopback server; the server is
 * killed (listener closed, every connection reset) and listens again on the same port
 * {@value #DOWN_MS} ms later. Every connect attempt is recorded on the client side when
 * it starts (StateChange to CONNECTING; for OkHttp, the call to {@code newWebSocket}), so
 * refused attempts while the server is down count too.
 * <p>
 * Peak-to-mean: attempts are counted in {@value #BUCKET_MS} ms buckets starting at the
 * instant the server listens again, up to and including the bucket in which the last
 * connection reached CONNECTED. Peak-to-mean is the largest bucket count divided by the
 * mean count over those buckets (total attempts in the window / number of buckets). 1.0
 * means attempts arrived evenly until everyone was back; a synchronized crowd gives
 * roughly the number of buckets.
 * <p>
 * Backoff for all jitter modes and for the baseline: initial {@value #INITIAL_MS} ms,
 * multiplier 2, cap {@value #MAX_MS} ms.
 */
final class StormScenario {

	static final long INITIAL_MS = 250;

	static final long MAX_MS = 8_000;

	static final long DOWN_MS = 1_000;

	static final long BUCKET_MS = 100;

	private static final int IN_FLIGHT = 200;

	private final Mode mode;

	/**
	 * Per fleet name (full, equal, decorrelated, none, okhttp): one result per repeat.
	 */
	private final Map<String, List<Storm>> storms = new LinkedHashMap<>();

	/** Live threads when the scenario started (its runtime included). */
	private int baselineThreads;

	StormScenario(Mode mode) {
		this.mode = mode;
	}

	Map<String, Object> run() throws Exception {
		try (ConnectionRuntime runtime = ConnectionRuntime.create()) {
			// Netty starts a loop's thread on its first task: start them all now, so that
			// they are not counted as
			// threads added by the first fleet.
			runtime.ioGroup().forEach((loop) -> loop.submit(() -> {
			}).syncUninterruptibly());
			this.baselineThreads = Bench.liveClientThreads();
			for (int repeat = 0; repeat < this.mode.stormRepeats(); repeat++) {
				for (Jitter jitter : List.of(Jitter.FULL, Jitter.EQUAL, Jitter.DECORRELATED, Jitter.NONE)) {
					record(jitter.name().toLowerCase(Locale.ROOT), storm(new ManagedFleet(runtime, jitter)));
				}
				record("okhttp", storm(new OkHttpFleet()));
			}
		}
		return results();
	}

	Map<String, List<Storm>> storms() {
		return this.storms;
	}

	private void record(String name, Storm storm) {
		this.storms.computeIfAbsent(name, (k) -> new ArrayList<>()).add(storm);
		Bench.log("storm " + name + ": peak/mean " + Stats.round(storm.peakToMean(), 2) + ", peak " + storm.peak()
				+ " attempts/100ms, all back " + Math.round(storm.allBackMs()) + " ms after restart, "
				+ storm.attemptsInWindow() + " attempts in the window");
	}

	private Storm storm(Fleet fleet) throws Exception {
		int n = this.mode.stormConnections();
		try (TestWebSocketServer server = TestWebSocketServer.start()) {
			Recorder recorder = new Recorder(n);
			// Let the previous fleet's threads (OkHttp's readers) finish, then count what
			// this fleet adds.
			Bench.await(() -> Bench.liveClientThreads() <= this.baselineThreads + 4, Duration.ofSeconds(15));
			int threadsBefore = Bench.liveClientThreads();
			fleet.start(server.uri("/storm"), n, recorder);
			if (!Bench.await(() -> recorder.firstConnected.get() >= n, Duration.ofMinutes(2))) {
				throw new IllegalStateException(
						fleet.name() + ": only " + recorder.firstConnected.get() + " of " + n + " connected");
			}
			int threads = Bench.liveClientThreads() - threadsBefore;
			Bench.sleep(500);
			recorder.attempts.clear();
			long kill = System.nanoTime();
			recorder.killedAt = kill;
			server.kill();
			Bench.sleepUntil(kill + TimeUnit.MILLISECONDS.toNanos(DOWN_MS));
			Bench.restart(server);
			long restart = System.nanoTime();
			boolean allBack = Bench.await(() -> recorder.reconnected.get() >= n, Duration.ofMinutes(2));
			long end = 0;
			for (int i = 0; i < n; i++) {
				end = Math.max(end, recorder.lastConnected.get(i));
			}
			fleet.close();
			if (!allBack) {
				throw new IllegalStateException(
						fleet.name() + ": only " + recorder.reconnected.get() + " of " + n + " reconnected");
			}
			return Storm.of(new ArrayList<>(recorder.attempts), kill, restart, end, threads);
		}
	}

	private Map<String, Object> results() {
		Map<String, Object> peakToMean = new LinkedHashMap<>();
		Map<String, Object> peak = new LinkedHashMap<>();
		Map<String, Object> allBack = new LinkedHashMap<>();
		Map<String, Object> details = new LinkedHashMap<>();
		for (Map.Entry<String, List<Storm>> entry : this.storms.entrySet()) {
			List<Storm> runs = entry.getValue();
			List<Double> ratios = runs.stream().map(Storm::peakToMean).toList();
			Map<String, Object> detail = new LinkedHashMap<>();
			detail.put("peak_to_mean_per_repeat", Stats.rounded(ratios, 2));
			detail.put("peak_attempts_per_100ms", runs.stream().map(Storm::peak).toList());
			detail.put("all_reconnected_ms_after_restart",
					Stats.rounded(runs.stream().map(Storm::allBackMs).toList(), 0));
			detail.put("attempts_in_window", runs.stream().map(Storm::attemptsInWindow).toList());
			detail.put("attempts_since_kill", runs.stream().map(Storm::attemptsSinceKill).toList());
			detail.put("threads_added_by_the_connections", runs.stream().map(Storm::threads).toList());
			details.put(entry.getKey(), detail);
			// The baseline loop has no jitter: its values sit under "none", beside ours
			// of the same name.
			String key = entry.getKey().equals("okhttp") ? "baseline:none" : entry.getKey();
			peakToMean.put(key, Stats.round(Stats.median(ratios), 2));
			peak.put(key, Math.round(Stats.median(runs.stream().map(Storm::peak).toList())));
			allBack.put(key, Math.round(Stats.median(runs.stream().map(Storm::allBackMs).toList())));
		}
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("storm_peak_to_mean", ours(peakToMean));
		out.put("storm_peak_attempts_per_100ms", ours(peak));
		out.put("storm_all_reconnected_ms", ours(allBack));
		out.put("baseline_storm_peak_to_mean", Map.of("none", peakToMean.get("baseline:none")));
		out.put("baseline_storm_peak_attempts_per_100ms", Map.of("none", peak.get("baseline:none")));
		out.put("baseline_storm_all_reconnected_ms", Map.of("none", allBack.get("baseline:none")));
		out.put("threads_added_by_1000_connections",
				Math.round(Stats.median(this.storms.get("full").stream().map(Storm::threads).toList())));
		out.put("baseline_threads_added_by_1000_connections",
				Math.round(Stats.median(this.storms.get("okhttp").stream().map(Storm::threads).toList())));
		details.put("connections", this.mode.stormConnections());
		details.put("repeats", this.mode.stormRepeats());
		details.put("backoff", "initial " + INITIAL_MS + " ms, x2, cap " + MAX_MS + " ms; server down " + DOWN_MS
				+ " ms; buckets " + BUCKET_MS + " ms");
		out.put("details", details);
		return out;
	}

	private static Map<String, Object> ours(Map<String, Object> all) {
		Map<String, Object> ours = new LinkedHashMap<>(all);
		ours.remove("baseline:none");
		return ours;
	}

	/**
	 * One storm's attempts, bucketed from {@value #DOWN_MS} ms before the restart (about
	 * when the server was killed) to the last reconnect.
	 *
	 * @param bucketStartMs start of each plotted bucket, in ms relative to the restart
	 * @param counts attempts in each plotted bucket
	 */
	record Storm(double[] bucketStartMs, double[] counts, double peakToMean, int peak, double allBackMs,
			int attemptsInWindow, int attemptsSinceKill, int threads) {

		static Storm of(List<Long> attempts, long kill, long restart, long end, int threads) {
			long bucketNanos = TimeUnit.MILLISECONDS.toNanos(BUCKET_MS);
			int windowBuckets = (int) Math.max(1, (end - restart + bucketNanos - 1) / bucketNanos);
			int before = (int) (DOWN_MS / BUCKET_MS);
			double[] starts = new double[before + windowBuckets];
			double[] counts = new double[before + windowBuckets];
			for (int b = 0; b < starts.length; b++) {
				starts[b] = (b - before) * BUCKET_MS;
			}
			int inWindow = 0;
			int sinceKill = 0;
			for (long at : attempts) {
				if (at >= kill) {
					sinceKill++;
				}
				long offset = at - restart;
				int bucket = (int) Math.floorDiv(offset, bucketNanos) + before;
				if (bucket >= 0 && bucket < counts.length) {
					counts[bucket]++;
					if (bucket >= before) {
						inWindow++;
					}
				}
			}
			int peak = 0;
			for (int b = before; b < counts.length; b++) {
				peak = Math.max(peak, (int) counts[b]);
			}
			double mean = (double) inWindow / windowBuckets;
			double ratio = (inWindow == 0) ? Double.NaN : peak / mean;
			return new Storm(starts, counts, ratio, peak, (end - restart) / 1e6, inWindow, sinceKill, threads);
		}

	}

	/**
	 * Attempt times and connection times of one storm; written from the clients' threads.
	 */
	private static final class Recorder {

		final ConcurrentLinkedQueue<Long> attempts = new ConcurrentLinkedQueue<>();

		final AtomicLongArray lastConnected;

		final AtomicInteger firstConnected = new AtomicInteger();

		final AtomicInteger reconnected = new AtomicInteger();

		final Semaphore inFlight = new Semaphore(IN_FLIGHT);

		volatile long killedAt;

		Recorder(int n) {
			this.lastConnected = new AtomicLongArray(n);
		}

		void attempt(long nanos) {
			this.attempts.add(nanos);
		}

		void connected(int index, long nanos) {
			long previous = this.lastConnected.getAndSet(index, nanos);
			if (previous == 0) {
				this.firstConnected.incrementAndGet();
				this.inFlight.release();
			}
			else if (this.killedAt != 0 && previous < this.killedAt) {
				this.reconnected.incrementAndGet();
			}
		}

	}

	/** The clients of one storm. */
	private interface Fleet {

		String name();

		/**
		 * Opens {@code n} connections, at most {@value #IN_FLIGHT} connecting at once.
		 */
		void start(URI uri, int n, Recorder recorder) throws Exception;

		void close() throws Exception;

	}

	private static final class ManagedFleet implements Fleet {

		private final ConnectionRuntime runtime;

		private final Jitter jitter;

		private final List<ManagedConnection> connections = new ArrayList<>();

		ManagedFleet(ConnectionRuntime runtime, Jitter jitter) {
			this.runtime = runtime;
			this.jitter = jitter;
		}

		@Override
		public String name() {
			return "managed/" + this.jitter;
		}

		@Override
		public void start(URI uri, int n, Recorder recorder) throws Exception {
			ReconnectSettings reconnect = new ReconnectSettings(Duration.ofMillis(INITIAL_MS),
					Duration.ofMillis(MAX_MS), 2.0, this.jitter, -1, Duration.ofSeconds(30));
			for (int i = 0; i < n; i++) {
				recorder.inFlight.acquire();
				int index = i;
				ConnectionSettings settings = Bench.settings("storm-" + i, uri).reconnect(reconnect).build();
				ManagedConnection connection = ManagedConnection.builder(settings)
					.runtime(this.runtime)
					.listener(new ConnectionListener() {
						@Override
						public void onStateChanged(StateChange change) {
							if (change.current() == ConnectionState.CONNECTING) {
								recorder.attempt(System.nanoTime());
							}
							else if (change.current() == ConnectionState.CONNECTED) {
								recorder.connected(index, System.nanoTime());
							}
						}
					})
					.build();
				this.connections.add(connection);
				connection.connect();
			}
		}

		@Override
		public void close() throws Exception {
			List<CompletableFuture<Void>> closing = new ArrayList<>();
			this.connections.forEach((connection) -> closing.add(connection.disconnect()));
			CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
			this.connections.forEach(ManagedConnection::close);
		}

	}

	/** The baseline: OkHttp WebSockets, each with the typical reconnect loop. */
	private static final class OkHttpFleet implements Fleet {

		private final OkHttpClient http = OkHttp.client(Duration.ofSeconds(15));

		private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

		private final List<OkHttpReconnectingClient> clients = new ArrayList<>();

		@Override
		public String name() {
			return "okhttp";
		}

		@Override
		public void start(URI uri, int n, Recorder recorder) throws Exception {
			for (int i = 0; i < n; i++) {
				recorder.inFlight.acquire();
				int index = i;
				OkHttpReconnectingClient client = new OkHttpReconnectingClient(this.http, uri, this.scheduler,
						INITIAL_MS, MAX_MS, new OkHttpReconnectingClient.Events() {
							@Override
							public void attempt(long nanos) {
								recorder.attempt(nanos);
							}

							@Override
							public void opened(long nanos) {
								recorder.connected(index, nanos);
							}
						});
				this.clients.add(client);
				client.start();
			}
		}

		@Override
		public void close() {
			this.clients.forEach(OkHttpReconnectingClient::close);
			Bench.sleep(500);
			this.clients.forEach(OkHttpReconnectingClient::stop);
			OkHttp.shutdown(this.http);
			this.scheduler.shutdownNow();
		}

	}

}
