package io.connectionmanager.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
 * in a separate JVM. Measures this JVM's live threads at 100 and at N connections, heap
 * after GC before connecting and at N (per connection), the JDK's direct buffer pool, and
 * how long connecting all N took (at most {@value #IN_FLIGHT} attempts in flight, as a
 * service starting up would pace itself). Each connection sends one text, echoed by the
 * server. Runs first, in a fresh JVM, so that nothing else is on the heap.
 */
final class ScaleScenario {

	private static final List<String> ADDRESSES = List.of("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4");

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
		Process server = startServer();
		try (Writer serverIn = new OutputStreamWriter(server.getOutputStream(), StandardCharsets.UTF_8);
				BufferedReader serverOut = new BufferedReader(
						new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
			String[] listening = serverOut.readLine().split(" ");
			int port = Integer.parseInt(listening[1]);
			List<String> addresses = List.of(listening[2].split(","));
			Bench.log("scale: server process " + server.pid() + " on port " + port + " at " + addresses);
			try (ConnectionRuntime runtime = ConnectionRuntime.create()) {
				long heapBefore = Bench.heapAfterGc();
				long directBefore = Bench.directBytes();
				int threadsBefore = Bench.liveThreads();

				long start = System.nanoTime();
				connect(runtime, 0, 100, port, addresses);
				long first100 = System.nanoTime() - start;
				Bench.sleep(1000);
				int threadsAt100 = Bench.liveThreads();
				TreeSet<String> namesAt100 = Bench.threadNames();
				long heapAt100 = Bench.heapAfterGc();

				long restStart = System.nanoTime();
				connect(runtime, 100, n, port, addresses);
				double connectAllSeconds = (first100 + (System.nanoTime() - restStart)) / 1e9;
				Bench.log("scale: " + n + " connected in " + Stats.round(connectAllSeconds, 2) + " s; holding "
						+ this.mode.scaleHoldSeconds() + " s with heartbeats");
				Bench.sleep(TimeUnit.SECONDS.toMillis(this.mode.scaleHoldSeconds()));
				int threadsAtN = Bench.liveThreads();
				TreeSet<String> namesAtN = Bench.threadNames();
				long heapAtN = Bench.heapAfterGc();
				long directAtN = Bench.directBytes();
				long stillConnected = this.connections.stream()
					.filter((c) -> c.state() == ConnectionState.CONNECTED)
					.count();
				long heartbeatAnswered = this.connections.stream()
					.filter((c) -> c.snapshot().heartbeatRoundTrip() != null)
					.count();
				serverIn.write("STATS\n");
				serverIn.flush();
				String stats = serverOut.readLine();

				Map<String, Object> out = new LinkedHashMap<>();
				out.put("n", n);
				out.put("threads_at_100", threadsAt100);
				out.put("threads_at_n", threadsAtN);
				out.put("heap_bytes_per_connection", Math.round((double) (heapAtN - heapBefore) / n));
				out.put("direct_bytes_per_connection", Math.round((double) (directAtN - directBefore) / n));
				out.put("connect_all_seconds", Stats.round(connectAllSeconds, 2));
				Map<String, Object> details = new LinkedHashMap<>();
				details.put("runtime_threads", runtime.threads());
				details.put("settings",
						"library defaults (circuit breaker on) except heartbeat interval 5 s, timeout 5 s");
				details.put("max_connects_in_flight", IN_FLIGHT);
				details.put("destination_addresses", addresses);
				details.put("threads_before_connecting", threadsBefore);
				TreeSet<String> newThreads = new TreeSet<>(namesAtN);
				newThreads.removeAll(namesAt100);
				details.put("threads_new_between_100_and_n", new ArrayList<>(newThreads));
				details.put("heap_before_bytes", heapBefore);
				details.put("heap_at_100_bytes", heapAt100);
				details.put("heap_at_n_bytes", heapAtN);
				details.put("heap_bytes_per_connection_marginal",
						Math.round((double) (heapAtN - heapAt100) / (n - 100)));
				details.put("direct_before_bytes", directBefore);
				details.put("direct_at_n_bytes", directAtN);
				details.put("connected_at_end", stillConnected);
				details.put("connections_lost_during_run", this.lostAfterConnect.get());
				details.put("connections_with_heartbeat_answered", heartbeatAnswered);
				details.put("server_open_connections", (stats != null) ? stats.replace("STATS ", "") : "?");
				out.put("details", details);
				closeAll();
				return out;
			}
		}
		finally {
			server.destroy();
			if (!server.waitFor(10, TimeUnit.SECONDS)) {
				server.destroyForcibly();
			}
		}
	}

	private Process startServer() throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = List.of(java, "-Xmx1g", "-XX:+UseG1GC", "-cp", System.getProperty("java.class.path"),
				ScaleServerMain.class.getName(), String.join(",", ADDRESSES));
		return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
	}

	/**
	 * Connects connections {@code from} (inclusive) to {@code to}, and waits until all of
	 * them are CONNECTED.
	 */
	private void connect(ConnectionRuntime runtime, int from, int to, int port, List<String> addresses)
			throws InterruptedException {
		for (int i = from; i < to; i++) {
			this.inFlight.acquire();
			URI uri = URI.create("ws://" + addresses.get(i % addresses.size()) + ":" + port + "/scale");
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
