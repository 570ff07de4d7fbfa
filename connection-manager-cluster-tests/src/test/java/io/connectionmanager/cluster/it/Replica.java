package io.connectionmanager.cluster.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ReplicaApplication} in a JVM of its own, started with the test's class path.
 * Its output goes to {@code replica-<id>.log}; the state of its connections (in detail,
 * of {@code feed}) is read from the {@code STATE} lines as they come, with the time they
 * were read.
 */
final class Replica implements AutoCloseable {

	private final String id;

	private final Process process;

	private final Path deliveries;

	private volatile String state = "DISCONNECTED";

	private volatile long connectedAt;

	private volatile long stateChangedAt = System.nanoTime();

	/** The last state of every connection, by name. */
	private final Map<String, String> states = new ConcurrentHashMap<>();

	private Replica(String id, Process process, Path deliveries) {
		this.id = id;
		this.process = process;
		this.deliveries = deliveries;
	}

	static Replica start(String id, Path directory, List<String> arguments) throws IOException {
		Path deliveries = directory.resolve("delivered-" + id + ".log");
		List<String> command = new ArrayList<>(List.of(
				Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx160m", "-XX:+UseSerialGC",
				"-XX:TieredStopAtLevel=1", "-Xss512k", "-cp", System.getProperty("java.class.path"),
				ReplicaApplication.class.getName(), "--connection-manager.cluster.replica-id=" + id,
				"--replica.delivery-log=" + deliveries, "--spring.main.banner-mode=off", "--logging.level.root=WARN",
				"--logging.level.io.connectionmanager.cluster=INFO"));
		command.addAll(arguments);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		Replica replica = new Replica(id, process, deliveries);
		Thread reader = new Thread(() -> replica.read(directory.resolve("replica-" + id + ".log")), "replica-" + id);
		reader.setDaemon(true);
		reader.start();
		return replica;
	}

	private void read(Path log) {
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8));
				PrintWriter out = new PrintWriter(Files.newBufferedWriter(log), true)) {
			String line;
			while ((line = lines.readLine()) != null) {
				long now = System.nanoTime();
				out.println(line);
				if (line.startsWith("STATE ")) {
					String[] words = line.trim().split(" ");
					this.states.put(words[1], words[2]);
				}
				if (line.startsWith("STATE feed ")) {
					this.state = line.substring("STATE feed ".length()).trim();
					this.stateChangedAt = now;
					if ("CONNECTED".equals(this.state)) {
						this.connectedAt = now;
					}
				}
			}
		}
		catch (IOException ex) {
			// the process is gone
		}
	}

	String id() {
		return this.id;
	}

	boolean isConnected() {
		return this.process.isAlive() && "CONNECTED".equals(this.state);
	}

	String state() {
		return this.state;
	}

	/** How many of its connections are CONNECTED (0 once the process is gone). */
	long connectedCount() {
		return this.process.isAlive()
				? this.states.values().stream().filter((state) -> state.equals("CONNECTED")).count() : 0;
	}

	/** When the last CONNECTED was read ({@link System#nanoTime()}), 0 if never. */
	long connectedAt() {
		return this.connectedAt;
	}

	long stateChangedAt() {
		return this.stateChangedAt;
	}

	Path deliveries() {
		return this.deliveries;
	}

	long delivered() throws IOException {
		return Files.exists(this.deliveries) ? Files.size(this.deliveries) : 0;
	}

	/** SIGKILL: no shutdown hook, no close frame, no lock release. */
	void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor(30, TimeUnit.SECONDS);
	}

	/** SIGTERM: the context closes (connections close, roles are released). */
	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			this.process.destroy();
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
				this.process.waitFor(30, TimeUnit.SECONDS);
			}
		}
	}

	@Override
	public String toString() {
		return this.id + "(" + this.state + (this.process.isAlive() ? "" : ", dead") + ")";
	}

}
