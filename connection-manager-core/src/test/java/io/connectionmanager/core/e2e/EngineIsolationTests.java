package io.connectionmanager.core.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.outbound.NotConnectedException;
import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.event.ConnectionListener;
import io.connectionmanager.core.event.StateChange;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.testing.Measurements;
import io.connectionmanager.core.testing.RecordingListener;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * User code cannot wedge a connection or stall others: handlers and listeners run off the
 * event loops, their failures are counted, blocked handlers do not starve other
 * connections, and {@code send} has one error channel.
 */
class EngineIsolationTests {

	private static ConnectionSettings.Builder settings(String name, TestWebSocketServer server) {
		return ConnectionSettings.builder(name)
			.url(server.uri("/" + name).toString())
			.heartbeat(HeartbeatSettings.disabled())
			.circuitBreaker(CircuitBreakerSettings.disabled());
	}

	private static String text(Message message) {
		return ((Message.Text) message).text();
	}

	@Test
	void errorsThrownByTheHandlerAreCountedAndDeliveryCarriesOn() {
		try (ConnectionRuntime runtime = ConnectionRuntime.create(1);
				TestWebSocketServer server = TestWebSocketServer.start()) {
			server.onOpen((peer) -> {
				for (int i = 1; i <= 100; i++) {
					peer.sendText(Integer.toString(i));
				}
			});
			List<Integer> handled = new CopyOnWriteArrayList<>();
			ManagedConnection connection = ManagedConnection.builder(settings("errors", server).build())
				.runtime(runtime)
				.handler(new ConnectionHandler() {
					@Override
					public void onMessage(Message message) {
						int number = Integer.parseInt(text(message));
						if (number % 10 == 0) {
							throw new OutOfMemoryError("simulated on message " + number);
						}
						handled.add(number);
					}
				})
				.build();
			connection.connect();
			await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 90);
			await().atMost(Duration.ofSeconds(5)).until(() -> connection.snapshot().handlerErrors() == 10);
			assertThat(handled).isSorted().doesNotContain(10, 20, 100);
			assertThat(connection.state()).isEqualTo(ConnectionState.CONNECTED);
			connection.close();
		}
	}

	@Test
	void sixteenBlockedHandlersDoNotDelayAnotherConnectionsMessages() {
		CountDownLatch release = new CountDownLatch(1);
		try (ConnectionRuntime runtime = ConnectionRuntime.create();
				TestWebSocketServer server = TestWebSocketServer.start()) {
			server.onOpen((peer) -> {
				if (peer.requestUri().startsWith("/stuck")) {
					peer.sendText("block");
				}
			});
			AtomicInteger blocked = new AtomicInteger();
			List<ManagedConnection> stuck = new ArrayList<>();
			for (int i = 0; i < 16; i++) {
				ManagedConnection connection = ManagedConnection.builder(settings("stuck-" + i, server).build())
					.runtime(runtime)
					.handler(new ConnectionHandler() {
						@Override
						public void onMessage(Message message) {
							blocked.incrementAndGet();
							awaitQuietly(release, Duration.ofSeconds(60));
						}
					})
					.build();
				stuck.add(connection);
				connection.connect();
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> blocked.get() == 16);

			long[] delaysNanos = new long[1000];
			AtomicInteger received = new AtomicInteger();
			ManagedConnection live = ManagedConnection.builder(settings("live", server).build())
				.runtime(runtime)
				.handler(new ConnectionHandler() {
					@Override
					public void onMessage(Message message) {
						long sentAt = Long.parseLong(text(message));
						delaysNanos[received.get()] = System.nanoTime() - sentAt;
						received.incrementAndGet();
					}
				})
				.build();
			live.connect();
			await().atMost(Duration.ofSeconds(10)).until(() -> live.state() == ConnectionState.CONNECTED);
			await().atMost(Duration.ofSeconds(5)).until(() -> server.connections().size() == 17);
			var peer = server.connections()
				.stream()
				.filter((connection) -> connection.requestUri().startsWith("/live"))
				.findFirst()
				.orElseThrow();
			for (int i = 0; i < delaysNanos.length; i++) {
				int expected = i + 1;
				peer.sendText(Long.toString(System.nanoTime()));
				await().atMost(Duration.ofSeconds(5))
					.pollInterval(Duration.ofNanos(100_000))
					.until(() -> received.get() == expected);
			}
			long[] sorted = delaysNanos.clone();
			Arrays.sort(sorted);
			long p50Micros = sorted[sorted.length / 2] / 1000;
			long p99Micros = sorted[sorted.length * 99 / 100] / 1000;
			Measurements.record("blocked-handlers", java.util.Map.of("blockedHandlers", 16, "messages", sorted.length,
					"p50Micros", p50Micros, "p99Micros", p99Micros));
			assertThat(p99Micros).as("p99 delay of the unaffected connection, µs").isLessThan(50_000);
			release.countDown();
			stuck.forEach(ManagedConnection::close);
			live.close();
		}
		finally {
			release.countDown();
		}
	}

	@Test
	void aListenerThatBlocksFiveSecondsDelaysNoHeartbeatAnywhere() {
		CountDownLatch release = new CountDownLatch(1);
		try (ConnectionRuntime runtime = ConnectionRuntime.create(1);
				TestWebSocketServer server = TestWebSocketServer.start()) {
			AtomicBoolean listenerBlocked = new AtomicBoolean();
			ManagedConnection slowListener = ManagedConnection
				.builder(settings("slow-listener", server)
					.heartbeat(new HeartbeatSettings(true, Duration.ofMillis(100), Duration.ofMillis(200)))
					.build())
				.runtime(runtime)
				.listener(new ConnectionListener() {
					@Override
					public void onStateChanged(StateChange change) {
						listenerBlocked.set(true);
						awaitQuietly(release, Duration.ofSeconds(5));
					}
				})
				.build();
			RecordingListener watching = new RecordingListener();
			ManagedConnection other = ManagedConnection
				.builder(settings("other", server)
					.heartbeat(new HeartbeatSettings(true, Duration.ofMillis(100), Duration.ofMillis(200)))
					.build())
				.runtime(runtime)
				.listener(watching)
				.build();
			slowListener.connect();
			other.connect();
			await().atMost(Duration.ofSeconds(5)).until(listenerBlocked::get);
			// The connection whose listener is stuck still moves on its own loop.
			await().atMost(Duration.ofSeconds(5)).until(() -> slowListener.state() == ConnectionState.CONNECTED);
			await().atMost(Duration.ofSeconds(5)).until(() -> other.state() == ConnectionState.CONNECTED);
			long pingsBefore = server.pingsReceived();
			await().during(Duration.ofSeconds(2))
				.atMost(Duration.ofSeconds(3))
				.until(() -> other.state() == ConnectionState.CONNECTED
						&& slowListener.state() == ConnectionState.CONNECTED);
			assertThat(server.pingsReceived() - pingsBefore).as("heartbeat pings in 2 s at a 100 ms interval")
				.isGreaterThanOrEqualTo(10);
			assertThat(watching.heartbeatsMissed).isEmpty();
			release.countDown();
			slowListener.close();
			other.close();
		}
		finally {
			release.countDown();
		}
	}

	@Test
	void sendNeverThrowsAndARefusalNamesTheRealState() throws Exception {
		RecordingListener transitions = new RecordingListener();
		try (ConnectionRuntime runtime = ConnectionRuntime.create(1);
				TestWebSocketServer server = TestWebSocketServer.start()) {
			ManagedConnection connection = ManagedConnection.builder(
					settings("racing", server)
						.reconnect(new io.connectionmanager.core.config.ReconnectSettings(Duration.ofMillis(5),
								Duration.ofMillis(5), 1.0, io.connectionmanager.core.backoff.Jitter.NONE, -1,
								Duration.ofSeconds(30)))
						.build())
				.runtime(runtime)
				.listener(transitions)
				.build();
			connection.connect();
			await().atMost(Duration.ofSeconds(5)).until(() -> connection.state() == ConnectionState.CONNECTED);
			AtomicBoolean sending = new AtomicBoolean(true);
			List<Throwable> thrown = new CopyOnWriteArrayList<>();
			List<ConnectionState> refusedIn = new CopyOnWriteArrayList<>();
			AtomicLong attempted = new AtomicLong();
			Thread sender = new Thread(() -> {
				while (sending.get()) {
					try {
						CompletableFuture<Void> sent = connection.send("tick");
						attempted.incrementAndGet();
						sent.whenComplete((ignored, error) -> {
							if (error instanceof NotConnectedException refused) {
								refusedIn.add(refused.state());
							}
						});
					}
					catch (Throwable ex) {
						thrown.add(ex);
					}
				}
			}, "sender");
			sender.start();
			for (int drop = 0; drop < 5; drop++) {
				long connectedBefore = transitions.count(ConnectionState.CONNECTED);
				server.closeAll(1011, "drop " + drop);
				await().atMost(Duration.ofSeconds(5))
					.until(() -> transitions.count(ConnectionState.CONNECTED) > connectedBefore);
			}
			sending.set(false);
			sender.join(TimeUnit.SECONDS.toMillis(5));
			assertThat(thrown).isEmpty();
			assertThat(attempted.get()).isGreaterThan(0);
			assertThat(refusedIn).isNotEmpty().doesNotContain(ConnectionState.CONNECTED);
			connection.close();
		}
	}

	private static void awaitQuietly(CountDownLatch latch, Duration bound) {
		try {
			latch.await(bound.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
