package io.connectionmanager.bench.jmh;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
 * The inbound dispatch path: one 64-byte text echoed by a loopback server, timed until
 * the client's handler has it. {@code raw} is the transport's own listener on the event
 * loop; {@code managed} hands the message to the runtime's handler pool (the default);
 * {@code managed_direct} runs the handler on the event loop. The benchmark thread polls
 * a counter the handler increments, yielding between polls (on 2 cores a pure spin
 * would take a core from the event loops), so no wake-up of the benchmark thread itself
 * is measured: the difference between the kinds is the dispatch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = { "-Xmx1g", "-XX:+UseG1GC" })
public class InboundDispatchBenchmark {

	private static final String PAYLOAD = "x".repeat(64);

	@Param({ "raw", "managed", "managed_direct" })
	public String kind;

	private final AtomicLong received = new AtomicLong();

	private TestWebSocketServer server;

	private ConnectionRuntime runtime;

	private JmhClients.Client client;

	@Setup(Level.Trial)
	public void open() throws Exception {
		this.server = TestWebSocketServer.start();
		this.server.onText(null); // echo
		this.runtime = ConnectionRuntime.create(1);
		this.client = JmhClients.open(this.kind, this.server.uri("/jmh"), this.runtime);
		this.client.onText(this.received::incrementAndGet);
	}

	@Benchmark
	public long echo() {
		long before = this.received.get();
		this.client.send(PAYLOAD);
		long now;
		while ((now = this.received.get()) == before) {
			Thread.yield();
		}
		return now;
	}

	@TearDown(Level.Trial)
	public void close() {
		this.client.close();
		this.runtime.close();
		this.server.close();
	}

}
