package io.connectionmanager.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.ManagedConnectionBuilder;
import io.connectionmanager.core.backoff.Jitter;
import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.ReconnectSettings;
import io.connectionmanager.core.event.ConnectionListener;
import io.connectionmanager.core.event.StateChange;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.test.server.TestWebSocketServer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import okhttp3.OkHttpClient;

/**
 * Key 4: a reconnect storm. 1,000 connections to one loopback server; the server is
 * killed (listener closed, every connection reset) and listens again on the same port
 * {@value #DOWN_MS} ms later. Every connect attempt is recorded on the client side when
 * it starts (StateChange to CONNECTING; for OkHttp, the call to {@code newWebSocket}), so
 * refused attempts while the server is down count too.
 * <p>
 * Peak-to-ideal: attempts are counted in {@value #BUCKET_MS} ms buckets starting at the
 * instant the server listens again, up to and including the bucket in which the last
 * connection reached CONNECTED (the window). Peak-to-ideal is the largest bucket count
 * divided by N / (buckets in the window): 1.0 would mean the N connections came back
 * evenly over the window. Peak-to-mean divides by the mean count of attempts in the
 * window instead (the same unless attempts fail after the restart).
 * <p>
 * Backoff for the jitter modes and for the baseline: initial {@value #INITIAL_MS} ms,
 * multiplier 2, cap {@value #MAX_MS} ms. The {@code default} fleet uses the library's
 * default reconnect settings (1 s, 30 s, x2) with {@link #DEFAULT_JITTER}; all fleets
 * have the circuit breaker off, except {@code default_with_breaker} (details only).
 */
final class StormScenario {

	static final long INITIAL_MS = 250;

	static final long MAX_MS = 8_000;

	static final long DOWN_MS = 1_000;

	static final long BUCKET_MS = 100;

	private static final int IN_FLIGHT = 200;

	/**
	 * The jitter measured as {@code default}: the library's default.
	 */
	static final Jitter DEFAULT_JITTER = ReconnectSettings.defaults().jitter();

	/** The jitter modes measured with the storm's own backoff, in plot order. */
	static final List<Jitter> MODES = List.of(Jitter.FULL, Jitter.EQUAL, Jitter.DECORRELATED, Jitter.NONE,
			Jitter.SPREAD);

	/** Fleets reported in the details (and plots) but not as keys. */
	static final List<String> DETAIL_ONLY = List.of("default_independent_phases", "default_with_breaker");

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
			// One storm not recorded: the first one of a fresh JVM runs partly
			// interpreted.
			storm(new ManagedFleet(runtime, "warm-up", stormBackoff(Jitter.FULL), CircuitBreakerSettings.disabled(),
					false));
			ReconnectSettings defaults = ReconnectSettings.defaults();
			ReconnectSettings proposed = new ReconnectSettings(defaults.initialDelay(), defaults.maxDelay(),
					defaults.multiplier(), DEFAULT_JITTER, defaults.maxAttempts(), defaults.resetAfter());
			for (int repeat = 0; repeat < this.mode.stormRepeats(); repeat++) {
				for (Jitter jitter : MODES) {
					record(jitter.name().toLowerCase(Locale.ROOT), storm(new ManagedFleet(runtime, jitter.name(),
							stormBackoff(jitter), CircuitBreakerSettings.disabled(), false)));
				}
				record("default", storm(
						new ManagedFleet(runtime, "default", proposed, CircuitBreakerSettings.disabled(), false)));
				record("default_independent_phases", storm(new ManagedFleet(runtime, "default_independent_phases",
						proposed, CircuitBreakerSettings.disabled(), true)));
				record("default_with_breaker", storm(new ManagedFleet(runtime, "default_with_breaker", proposed,
						CircuitBreakerSettings.defaults(), false)));
				record("okhttp", storm(new OkHttpFleet()));
			}
		}
		return results();
	}

	private static ReconnectSettings stormBackoff(Jitter jitter) {
		return new ReconnectSettings(Duration.ofMillis(INITIAL_MS), Duration.ofMillis(MAX_MS), 2.0, jitter, -1,
				Duration.ofSeconds(30));
	}

	Map<String, List<Storm>> storms() {
		return this.storms;
	}

	private void record(String name, Storm storm) {
		this.storms.computeIfAbsent(name, (k) -> new ArrayList<>()).add(storm);
		Bench.log("storm " + name + ": peak/ideal " + Stats.round(storm.peakToIdeal(), 2) + ", peak/mean "
				+ Stats.round(storm.peakToMean(), 2) + ", peak " + storm.peak() + " attempts/100ms, all back "
				+ Math.round(storm.allBackMs()) + " ms after restart, " + storm.attemptsInWindow()
				+ " attempts in the window" + ((storm.breakerOpenings() > 0)
						? ", circuit breakers opened " + storm.breakerOpenings() + " times" : ""));
	}

	private Storm storm(Fleet fleet) throws Exception {
		int n = this.mode.stormConnections();
		try (TestWebSocketServer server = TestWebSocketServer.start()) {
			Recorder recorder = new Recorder(n);
			// Let the previous fleet's threads (OkHttp's readers) finish, then count what
			// this fleet adds. Pool threads the runtime keeps alive for a while count as
			// settled once the number stops falling.
			int threadsBefore = settledThreads();
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
			int breakerOpenings = fleet.breakerOpenings();
			fleet.close();
			if (!allBack) {
				throw new IllegalStateException(
						fleet.name() + ": only " + recorder.reconnected.get() + " of " + n + " reconnected");
			}
			return Storm.of(new ArrayList<>(recorder.attempts), n, kill, restart, end, threads, breakerOpenings);
		}
	}

	/**
	 * Live client threads once they are back to the baseline or have not changed for 1 s
	 * (at most 15 s).
	 */
	private int settledThreads() {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
		int last = Bench.liveClientThreads();
		long since = System.nanoTime();
		while (last > this.baselineThreads + 4 && System.nanoTime() - deadline < 0
				&& System.nanoTime() - since < TimeUnit.SECONDS.toNanos(1)) {
			Bench.sleep(100);
			int now = Bench.liveClientThreads();
			if (now != last) {
				last = now;
				since = System.nanoTime();
			}
		}
		return last;
	}

	private Map<String, Object> results() {
		Map<String, Object> peakToIdeal = new LinkedHashMap<>();
		Map<String, Object> peakToIdealSpread = new LinkedHashMap<>();
		Map<String, Object> peakToMean = new LinkedHashMap<>();
		Map<String, Object> peak = new LinkedHashMap<>();
		Map<String, Object> allBack = new LinkedHashMap<>();
		Map<String, Object> details = new LinkedHashMap<>();
		for (Map.Entry<String, List<Storm>> entry : this.storms.entrySet()) {
			List<Storm> runs = entry.getValue();
			List<Double> ratios = runs.stream().map(Storm::peakToMean).toList();
			List<Double> ideal = runs.stream().map(Storm::peakToIdeal).toList();
			Map<String, Object> detail = new LinkedHashMap<>();
			detail.put("peak_to_ideal_per_repeat", Stats.rounded(ideal, 2));
			detail.put("peak_to_mean_per_repeat", Stats.rounded(ratios, 2));
			detail.put("peak_attempts_per_100ms", runs.stream().map(Storm::peak).toList());
			detail.put("all_reconnected_ms_after_restart",
					Stats.rounded(runs.stream().map(Storm::allBackMs).toList(), 0));
			detail.put("attempts_in_window", runs.stream().map(Storm::attemptsInWindow).toList());
			detail.put("attempts_since_kill", runs.stream().map(Storm::attemptsSinceKill).toList());
			detail.put("window_buckets", runs.stream().map(Storm::windowBuckets).toList());
			detail.put("threads_added_by_the_connections", runs.stream().map(Storm::threads).toList());
			detail.put("circuit_breaker_openings", runs.stream().map(Storm::breakerOpenings).toList());
			details.put(entry.getKey(), detail);
			if (DETAIL_ONLY.contains(entry.getKey())) {
				continue;
			}
			// The baseline loop has no jitter: its values sit under "none", beside ours
			// of the same name.
			String key = entry.getKey().equals("okhttp") ? "baseline:none" : entry.getKey();
			peakToIdeal.put(key, Stats.round(Stats.median(ideal), 2));
			peakToIdealSpread.put(key,
					List.of(Stats.round(Stats.percentile(ideal, 25), 2), Stats.round(Stats.percentile(ideal, 75), 2)));
			peakToMean.put(key, Stats.round(Stats.median(ratios), 2));
			peak.put(key, Math.round(Stats.median(runs.stream().map(Storm::peak).toList())));
			allBack.put(key, Math.round(Stats.median(runs.stream().map(Storm::allBackMs).toList())));
		}
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("storm_peak_to_ideal", ours(peakToIdeal));
		out.put("storm_peak_to_ideal_p25_p75", ours(peakToIdealSpread));
		out.put("storm_peak_to_mean", ours(peakToMean));
		out.put("storm_peak_attempts_per_100ms", ours(peak));
		out.put("storm_all_reconnected_ms", ours(allBack));
		out.put("baseline_storm_peak_to_ideal", Map.of("none", peakToIdeal.get("baseline:none")));
		out.put("baseline_storm_peak_to_mean", Map.of("none", peakToMean.get("baseline:none")));
		out.put("baseline_storm_peak_attempts_per_100ms", Map.of("none", peak.get("baseline:none")));
		out.put("baseline_storm_all_reconnected_ms", Map.of("none", allBack.get("baseline:none")));
		out.put("threads_added_by_1000_connections",
				Math.round(Stats.median(this.storms.get("full").stream().map(Storm::threads).toList())));
		out.put("baseline_threads_added_by_1000_connections",
				Math.round(Stats.median(this.storms.get("okhttp").stream().map(Storm::threads).toList())));
		details.put("connections", this.mode.stormConnections());
		details.put("repeats", this.mode.stormRepeats());
		details.put("backoff", "jitter modes: initial " + INITIAL_MS + " ms, x2, cap " + MAX_MS
				+ " ms; default: the library's defaults (1 s, 30 s, x2) with jitter " + DEFAULT_JITTER
				+ " (ReconnectSettings.defaults() has " + ReconnectSettings.defaults().jitter() + "); server down "
				+ DOWN_MS + " ms; buckets " + BUCKET_MS + " ms; circuit breaker off except default_with_breaker");
		details.put("default_jitter_measured", DEFAULT_JITTER.name().toLowerCase(Locale.ROOT));
		details.put("default_jitter_of_this_commit",
				ReconnectSettings.defaults().jitter().name().toLowerCase(Locale.ROOT));
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
	record Storm(double[] bucketStartMs, double[] counts, double peakToIdeal, double peakToMean, int peak,
			double allBackMs, int windowBuckets, int attemptsInWindow, int attemptsSinceKill, int threads,
			int breakerOpenings) {

		static Storm of(List<Long> attempts, int clients, long kill, long restart, long end, int threads,
				int breakerOpenings) {
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
			double ideal = peak / ((double) clients / windowBuckets);
			return new Storm(starts, counts, ideal, ratio, peak, (end - restart) / 1e6, windowBuckets, inWindow,
					sinceKill, threads, breakerOpenings);
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

		/** How often the fleet's circuit breakers opened (0 without breakers). */
		default int breakerOpenings() {
			return 0;
		}

		void close() throws Exception;

	}

	/**
	 * Managed connections with the given reconnect and breaker settings. With
	 * {@code independentPhases} every connection draws its jitter from a random of its
	 * own (as connections in separate processes would) instead of the process's defaults.
	 */
	private static final class ManagedFleet implements Fleet {

		private final ConnectionRuntime runtime;

		private final String name;

		private final ReconnectSettings reconnect;

		private final CircuitBreakerSettings breaker;

		private final boolean independentPhases;

		private final AtomicInteger breakerOpenings = new AtomicInteger();

		private final List<ManagedConnection> connections = new ArrayList<>();

		ManagedFleet(ConnectionRuntime runtime, String name, ReconnectSettings reconnect,
				CircuitBreakerSettings breaker, boolean independentPhases) {
			this.runtime = runtime;
			this.name = name;
			this.reconnect = reconnect;
			this.breaker = breaker;
			this.independentPhases = independentPhases;
		}

		@Override
		public String name() {
			return "managed/" + this.name;
		}

		@Override
		public int breakerOpenings() {
			return this.breakerOpenings.get();
		}

		@Override
		public void start(URI uri, int n, Recorder recorder) throws Exception {
			for (int i = 0; i < n; i++) {
				recorder.inFlight.acquire();
				int index = i;
				ConnectionSettings settings = Bench.settings("storm-" + i, uri)
					.reconnect(this.reconnect)
					.circuitBreaker(this.breaker)
					.build();
				ManagedConnectionBuilder builder = ManagedConnection.builder(settings);
				if (this.independentPhases) {
					builder.random(new SplittableRandom(ThreadLocalRandom.current().nextLong()));
				}
				ManagedConnection connection = builder.runtime(this.runtime).listener(new ConnectionListener() {
					@Override
					public void onStateChanged(StateChange change) {
						if (change.current() == ConnectionState.CONNECTING) {
							recorder.attempt(System.nanoTime());
						}
						else if (change.current() == ConnectionState.CONNECTED) {
							recorder.connected(index, System.nanoTime());
						}
					}
				}).build();
				if (connection.circuitBreaker() != null) {
					connection.circuitBreaker().getEventPublisher().onStateTransition((event) -> {
						if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
							this.breakerOpenings.incrementAndGet();
						}
					});
				}
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
