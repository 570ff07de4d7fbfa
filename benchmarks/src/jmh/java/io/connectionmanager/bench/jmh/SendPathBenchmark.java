package io.connectionmanager.bench.jmh;

import java.util.concurrent.TimeUnit;

import io.connectionmanager.bench.JmhClients;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The send path: one 64-byte text per call through {@code ManagedConnection.send} against
 * the raw transport session's {@code send}, to a loopback server that counts and drops
 * them. At most {@value #WINDOW} texts are sent but not yet counted by the server (the
 * caller yields until the server catches up), so that nothing queues without bound and
 * the figure is an end-to-end cost per message, not the cost of filling a buffer.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = { "-Xmx1g", "-XX:+UseG1GC" })
public class SendPathBenchmark {

	private static final String PAYLOAD = "x".repeat(64);

	private static final long WINDOW = 800;

	@Param({ "raw", "managed" })
	public String kind;

	private TestWebSocketServer server;

	private ConnectionRuntime runtime;

	private JmhClients.Client client;

	private long sent;

	private long base;

	@Setup(Level.Trial)
	public void open() throws Exception {
		this.server = TestWebSocketServer.start();
		this.server.onText((connection, text) -> {
		});
		this.runtime = ConnectionRuntime.create(1);
		this.client = JmhClients.open(this.kind, this.server.uri("/jmh"), this.runtime);
		this.base = this.server.textMessagesReceived();
	}

	@Benchmark
	public void send() {
		this.client.send(PAYLOAD);
		if ((++this.sent & 63) == 0) {
			while (this.sent - (this.server.textMessagesReceived() - this.base) > WINDOW) {
				Thread.yield();
			}
		}
	}

	@TearDown(Level.Trial)
	public void close() {
		this.client.close();
		this.runtime.close();
		this.server.close();
	}

}
