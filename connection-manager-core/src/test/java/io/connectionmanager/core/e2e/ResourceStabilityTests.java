package io.connectionmanager.core.e2e;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.List;

import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.backoff.Jitter;
import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.config.ReconnectSettings;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** 1,000 connect/fail cycles leave no threads and no heap behind. */
class ResourceStabilityTests {

	private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

	@Test
	void aThousandConnectFailCyclesLeaveNoThreadsOrMemoryBehind() {
		try (ConnectionRuntime runtime = ConnectionRuntime.create(2);
				TestWebSocketServer server = TestWebSocketServer.start()) {
			server.rejectUpgrades(503);
			ConnectionSettings settings = ConnectionSettings.builder("cycles")
				.url(server.uri("/stream").toString())
				.reconnect(new ReconnectSettings(Duration.ofMillis(1), Duration.ofMillis(1), 1.0, Jitter.NONE, -1,
						Duration.ofSeconds(30)))
				.heartbeat(HeartbeatSettings.disabled())
				.circuitBreaker(CircuitBreakerSettings.disabled())
				.build();
			// Warm up class loading, pools and both (lazily started) event loops, so the
			// baseline is a steady state.
			runCycles(runtime, settings, server, 100);
			runCycles(runtime, settings, server, 100);
			List<String> namesBefore = threadNames();
			long heapBefore = heapAfterGc();
			runCycles(runtime, settings, server, 1000);
			long heapAfter = heapAfterGc();
			// A pool worker finishing its keep-alive can be alive for a moment after its
			// last task; a leak never goes away, so wait for the count to settle rather
			// than sample it. Awaitility's own polling thread is not ours to count.
			await().atMost(Duration.ofSeconds(15))
				.untilAsserted(() -> assertThat(threadNames())
					.as(() -> "threads before " + namesBefore + ", after " + threadNames())
					.hasSizeLessThanOrEqualTo(namesBefore.size()));
			assertThat(heapAfter - heapBefore).isLessThan(4L * 1024 * 1024);
		}
	}

	private static void runCycles(ConnectionRuntime runtime, ConnectionSettings settings, TestWebSocketServer server,
			int cycles) {
		ManagedConnection connection = ManagedConnection.builder(settings)
			.runtime(runtime)
			.handler(ConnectionHandler.NONE)
			.build();
		int handshakesBefore = server.handshakeCount();
		connection.connect();
		// Counted by the client: a late handshake of the previous connection's last
		// attempt may still reach the
		// server after that connection closed, so the server's count can run one ahead.
		await().atMost(Duration.ofSeconds(60)).until(() -> connection.snapshot().totalAttempts() >= cycles);
		connection.close();
		assertThat(server.handshakeCount() - handshakesBefore).isGreaterThanOrEqualTo(cycles - 1);
	}

	private static List<String> threadNames() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.map(Thread::getName)
			.filter((name) -> !name.startsWith("awaitility"))
			.sorted()
			.toList();
	}

	private static long heapAfterGc() {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return MEMORY.getHeapMemoryUsage().getUsed();
	}

}
