package io.connectionmanager.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.event.ConnectionListener;
import io.connectionmanager.core.event.StateChange;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.state.ConnectionState;

/**
 * Key 3: N managed WebSocket connections with heartbeats on, to {@link ScaleServerMain}
 * in {@value #SERVERS} separate JVMs ({@link ScaleServers}). Measures this JVM's live
 * threads at 100 and at N connections, heap after GC before connecting and at N (per
 * connection), the JDK's direct buffer pool, and how long connecting all N took (at most
 * {@value #IN_FLIGHT} attempts in flight, as a service starting up would pace itself).
 * Each connection sends one text, echoed by the server. Runs first, in a fresh JVM, so
 * that nothing else is on the heap. Then the same N as plain Netty clients
 * ({@link RawNettyFleet}) on the same event loops, for {@code heap_ratio_to_raw}.
 */
final class ScaleScenario {

	/**
	 * Server processes: the file-descriptor limit (20,000 here) is per process, so N up
	 * to 19,000 needs the servers' sockets spread over at least two.
	 */
	private static final int SERVERS = 2;

	private static final int IN_FLIGHT = 256;

	/**
	 * Heartbeats on: a ping after 5 s idle, 5 s to answer, so every connection pings
	 * during the hold.
	 */
	private static final HeartbeatSettings HEARTBEAT = new HeartbeatSettings(true, Duration.ofSeconds(5),
			Duration.ofSeconds(5));

	private final Mode mode;

	private final List<ManagedConnection> connections = new ArrayList<>();

	private final AtomicInteger connected = new AtomicInteger();

	private final AtomicInteger lostAfterConnect = new AtomicInteger();

	private final Semaphore inFlight = new Semaphore(IN_FLIGHT);

	ScaleScenario(Mode mode) {
		this.mode = mode;
	}

	Map<String, Object> run() throws Exception {
		int n = this.mode.scaleConnections();
		try (ScaleServers servers = new ScaleServers(SERVERS)) {
			Bench.log("scale: server processes " + servers.describe());
			try (ConnectionRuntime runtime = ConnectionRuntime.create()) {
				Map<String, Object> out = new LinkedHashMap<>();
				Map<String, Object> details = new LinkedHashMap<>();
				long heapPerConnection = managed(runtime, servers, n, out, details);
				long rawHeapPerConnection = raw(runtime, servers, n, details);
				out.put("raw_heap_bytes_per_connection", rawHeapPerConnection);
				out.put("heap_ratio_to_raw", Stats.round((double) heapPerConnection / rawHeapPerConnection, 2));
				out.put("details", details);
				return out;
			}
		}
	}

	/**
	 * N managed connections: threads at 100 and N, heap and direct memory per connection;
	 * returns the heap per connection.
	 */
	private long managed(ConnectionRuntime runtime, ScaleServers servers, int n, Map<String, Object> out,
			Map<String, Object> details) throws Exception {
		long heapBefore = Bench.heapAfterGc();
		long directBefore = Bench.directBytes();
		int threadsBefore = Bench.liveThreads();
		HeapHistogram histogramBefore = HeapHistogram.take();

		long start = System.nanoTime();
		connect(runtime, 0, 100, servers);
		long first100 = System.nanoTime() - start;
		Bench.sleep(1000);
		int threadsAt100 = Bench.liveThreads();
		TreeSet<String> namesAt100 = Bench.threadNames();
		long heapAt100 = Bench.heapAfterGc();

		long restStart = System.nanoTime();
		connect(runtime, 100, n, servers);
		double connectAllSeconds = (first100 + (System.nanoTime() - restStart)) / 1e9;
		Bench.log("scale: " + n + " managed connections in " + Stats.round(connectAllSeconds, 2) + " s; holding "
				+ this.mode.scaleHoldSeconds() + " s with heartbeats");
		Bench.sleep(TimeUnit.SECONDS.toMillis(this.mode.scaleHoldSeconds()));
		int threadsAtN = Bench.liveThreads();
		TreeSet<String> namesAtN = Bench.threadNames();
		long heapAtN = Bench.heapAfterGc();
		long directAtN = Bench.directBytes();
		long fdsAtN = Bench.openFileDescriptors();
		long stillConnected = this.connections.stream().filter((c) -> c.state() == ConnectionState.CONNECTED).count();
		long heartbeatAnswered = this.connections.stream()
			.filter((c) -> c.snapshot().heartbeatRoundTrip() != null)
			.count();
		List<Integer> serverOpen = servers.openConnections();
		List<String> byClass = HeapHistogram.take()
			.addedPerConnection(histogramBefore, n, Integer.getInteger("bench.heapClasses", 15));

		long heapPerConnection = Math.round((double) (heapAtN - heapBefore) / n);
		out.put("n", n);
		out.put("threads_at_100", threadsAt100);
		out.put("threads_at_n", threadsAtN);
		out.put("heap_bytes_per_connection", heapPerConnection);
		out.put("direct_bytes_per_connection", Math.round((double) (directAtN - directBefore) / n));
		out.put("connect_all_seconds", Stats.round(connectAllSeconds, 2));
		details.put("runtime_threads", runtime.threads());
		details.put("settings", "library defaults (circuit breaker on) except heartbeat interval 5 s, timeout 5 s");
		details.put("max_connects_in_flight", IN_FLIGHT);
		details.put("server_processes", servers.describe());
		details.put("threads_before_connecting", threadsBefore);
		TreeSet<String> newThreads = new TreeSet<>(namesAtN);
		newThreads.removeAll(namesAt100);
		details.put("threads_new_between_100_and_n", new ArrayList<>(newThreads));
		details.put("heap_before_bytes", heapBefore);
		details.put("heap_at_100_bytes", heapAt100);
		details.put("heap_at_n_bytes", heapAtN);
		details.put("heap_per_connection_by_class", byClass);
		details.put("heap_bytes_per_connection_marginal", Math.round((double) (heapAtN - heapAt100) / (n - 100)));
		details.put("direct_before_bytes", directBefore);
		details.put("direct_at_n_bytes", directAtN);
		details.put("open_file_descriptors_at_n", fdsAtN);
		details.put("max_file_descriptors", Bench.maxFileDescriptors());
		details.put("connected_at_end", stillConnected);
		details.put("connections_lost_during_run", this.lostAfterConnect.get());
		details.put("connections_with_heartbeat_answered", heartbeatAnswered);
		details.put("server_open_connections", serverOpen);
		closeAll();
		return heapPerConnection;
	}

	/**
	 * The same N as plain Netty WebSocket clients on the same event loops; returns their
	 * heap per connection.
	 */
	private long raw(ConnectionRuntime runtime, ScaleServers servers, int n, Map<String, Object> details)
			throws Exception {
		Bench.await(() -> {
			try {
				return servers.openConnections().stream().mapToInt(Integer::intValue).sum() == 0;
			}
			catch (java.io.IOException ex) {
				return false;
			}
		}, Duration.ofSeconds(30));
		long heapBefore = Bench.heapAfterGc();
		long directBefore = Bench.directBytes();
		HeapHistogram histogramBefore = HeapHistogram.take();
		try (RawNettyFleet fleet = new RawNettyFleet(runtime.ioGroup(), HEARTBEAT.interval(), IN_FLIGHT)) {
			long start = System.nanoTime();
			for (int i = 0; i < n; i++) {
				fleet.connect(servers.uri(i));
			}
			if (!Bench.await(() -> fleet.connected() + fleet.failed() >= n, Duration.ofMinutes(5))
					|| fleet.failed() > 0) {
				throw new IllegalStateException(
						"raw Netty: " + fleet.connected() + " of " + n + " connected, " + fleet.failed() + " failed");
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			Bench.log("scale: " + n + " raw Netty connections in " + Stats.round(seconds, 2) + " s; holding "
					+ this.mode.scaleHoldSeconds() + " s with pings");
			Bench.sleep(TimeUnit.SECONDS.toMillis(this.mode.scaleHoldSeconds()));
			long heapAtN = Bench.heapAfterGc();
			long directAtN = Bench.directBytes();
			Map<String, Object> raw = new LinkedHashMap<>();
			raw.put("client",
					"Netty HttpClientCodec + HttpObjectAggregator(8192) + WebSocketClientProtocolHandler + "
							+ "IdleStateHandler (ping after " + HEARTBEAT.interval().toSeconds()
							+ " s idle), same event loops");
			raw.put("connect_all_seconds", Stats.round(seconds, 2));
			raw.put("heap_before_bytes", heapBefore);
			raw.put("heap_at_n_bytes", heapAtN);
			raw.put("heap_bytes_per_connection", Math.round((double) (heapAtN - heapBefore) / n));
			raw.put("direct_bytes_per_connection", Math.round((double) (directAtN - directBefore) / n));
			raw.put("heap_per_connection_by_class", HeapHistogram.take().addedPerConnection(histogramBefore, n, 12));
			raw.put("open_at_end", fleet.open());
			raw.put("echoes_received", fleet.echoes());
			details.put("raw_netty", raw);
			return Math.round((double) (heapAtN - heapBefore) / n);
		}
	}

	/**
	 * Connects connections {@code from} (inclusive) to {@code to}, and waits until all of
	 * them are CONNECTED.
	 */
	private void connect(ConnectionRuntime runtime, int from, int to, ScaleServers servers)
			throws InterruptedException {
		for (int i = from; i < to; i++) {
			this.inFlight.acquire();
			URI uri = servers.uri(i);
			// The library's defaults (circuit breaker included: its per-connection state
			// is part of the cost).
			ConnectionSettings settings = ConnectionSettings.builder("scale-" + i)
				.url(uri.toString())
				.heartbeat(HEARTBEAT)
				.build();
			ManagedConnection connection = ManagedConnection.builder(settings)
				.runtime(runtime)
				.listener(new Tracker())
				.build();
			this.connections.add(connection);
			connection.connect();
		}
		if (!Bench.await(() -> this.connected.get() >= to, Duration.ofMinutes(5))) {
			throw new IllegalStateException("only " + this.connected.get() + " of " + to + " connected");
		}
		// One echoed message each, so that the message path (and the runtime's handler
		// pool) is in use before the
		// threads are counted.
		for (int i = from; i < to; i++) {
			this.connections.get(i).send("hello " + i);
		}
	}

	private void closeAll() {
		Bench.log("scale: closing " + this.connections.size() + " connections");
		List<CompletableFuture<Void>> closing = new ArrayList<>();
		for (ManagedConnection connection : this.connections) {
			closing.add(connection.disconnect());
		}
		try {
			CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			Bench.log("scale: not all connections closed gracefully: " + ex);
		}
		this.connections.forEach(ManagedConnection::close);
	}

	/**
	 * Releases an in-flight slot on the first CONNECTED, and counts losses afterwards.
	 */
	private final class Tracker implements ConnectionListener {

		private boolean wasConnected;

		@Override
		public void onStateChanged(StateChange change) {
			if (change.current() == ConnectionState.CONNECTED && !this.wasConnected) {
				this.wasConnected = true;
				ScaleScenario.this.connected.incrementAndGet();
				ScaleScenario.this.inFlight.release();
			}
			else if (change.previous() == ConnectionState.CONNECTED
					&& change.current() != ConnectionState.DISCONNECTED) {
				ScaleScenario.this.lostAfterConnect.incrementAndGet();
			}
		}

	}

}
