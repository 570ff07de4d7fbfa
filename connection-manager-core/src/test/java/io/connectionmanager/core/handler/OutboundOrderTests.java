package io.connectionmanager.core.handler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.config.OutboundSettings;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.testing.Measurements;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sends leave in the order they were made while the transport keeps filling up and
 * draining: a peer that reads in bursts makes the connection switch between writing at
 * once and queueing many times, and no message may overtake another on the way.
 */
class OutboundOrderTests {

	@Test
	void sendsFromOneThreadArriveInOrderWhileThePeerReadsInBursts() {
		int count = 30_000;
		ScheduledExecutorService toggler = Executors.newSingleThreadScheduledExecutor();
		try (ConnectionRuntime runtime = ConnectionRuntime.create(1);
				TestWebSocketServer server = TestWebSocketServer.start()) {
			List<Integer> received = new CopyOnWriteArrayList<>();
			server.onText((peer, text) -> received.add(Integer.parseInt(text.substring(0, text.indexOf(' ')))));
			ManagedConnection connection = ManagedConnection
				.builder(ConnectionSettings.builder("bursty")
					.url(server.uri("/in").toString())
					.heartbeat(HeartbeatSettings.disabled())
					.circuitBreaker(CircuitBreakerSettings.disabled())
					.outbound(new OutboundSettings(OutboundSettings.WhenDisconnected.FAIL, count, 64L * 1024 * 1024,
							OutboundSettings.Overflow.REJECT))
					.build())
				.runtime(runtime)
				.build();
			connection.connect();
			await().atMost(Duration.ofSeconds(5)).until(() -> connection.state() == ConnectionState.CONNECTED);
			AtomicBoolean frozen = new AtomicBoolean();
			toggler.scheduleAtFixedRate(() -> {
				if (frozen.compareAndSet(false, true)) {
					server.freeze();
				}
				else if (frozen.compareAndSet(true, false)) {
					server.unfreeze();
				}
			}, 5, 5, TimeUnit.MILLISECONDS);

			String padding = "x".repeat(1000);
			List<CompletableFuture<Void>> sends = new ArrayList<>(count);
			for (int i = 0; i < count; i++) {
				sends.add(connection.send(i + " " + padding));
			}
			toggler.shutdownNow();
			server.unfreeze();
			await().atMost(Duration.ofSeconds(60)).until(() -> received.size() == count);

			assertThat(sends).allSatisfy((send) -> assertThat(send).succeedsWithin(Duration.ofSeconds(10)));
			List<Integer> outOfOrder = new ArrayList<>();
			for (int i = 0; i < received.size(); i++) {
				if (received.get(i) != i) {
					outOfOrder.add(i);
				}
			}
			assertThat(outOfOrder).as("positions where another message arrived").isEmpty();
			Measurements.record("outbound-order", Map.of("messages", count, "outOfOrder", outOfOrder.size()));
			connection.close();
		}
		finally {
			toggler.shutdownNow();
		}
	}

}
