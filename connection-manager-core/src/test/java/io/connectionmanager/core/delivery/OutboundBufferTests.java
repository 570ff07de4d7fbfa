package io.connectionmanager.core.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.outbound.NotConnectedException;
import io.connectionmanager.core.backoff.Jitter;
import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.config.OutboundSettings;
import io.connectionmanager.core.config.ReconnectSettings;
import io.connectionmanager.core.outbound.MessageNotSentException;
import io.connectionmanager.core.outbound.OutboundBufferFullException;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Sends made while the connection is down: buffered and sent once, in order, or refused
 * as configured.
 */
class OutboundBufferTests {

	private final ConnectionRuntime runtime = ConnectionRuntime.create(2);

	private final TestWebSocketServer server = TestWebSocketServer.start();

	private final List<String> serverReceived = new CopyOnWriteArrayList<>();

	OutboundBufferTests() {
		this.server.onText((connection, text) -> this.serverReceived.add(text));
	}

	@AfterEach
	void release() {
		this.server.close();
		this.runtime.close();
	}

	private ManagedConnection connectedWith(OutboundSettings outbound) {
		ManagedConnection connection = ManagedConnection
			.builder(ConnectionSettings.builder("orders")
				.url(this.server.uri("/orders").toString())
				.reconnect(new ReconnectSettings(Duration.ofMillis(20), Duration.ofMillis(50), 2.0, Jitter.FULL, -1,
						Duration.ofSeconds(30)))
				.heartbeat(HeartbeatSettings.disabled())
				.circuitBreaker(CircuitBreakerSettings.disabled())
				.outbound(outbound)
				.build())
			.runtime(this.runtime)
			.handler(ConnectionHandler.NONE)
			.build();
		connection.connect();
		await().atMost(Duration.ofSeconds(5)).until(() -> connection.state() == ConnectionState.CONNECTED);
		return connection;
	}

	private void outage(ManagedConnection connection) {
		this.server.kill();
		await().atMost(Duration.ofSeconds(5)).until(() -> connection.state() != ConnectionState.CONNECTED);
	}

	@Test
	void tenThousandSendsDuringAnOutageArriveOnceAndInOrder() {
		ManagedConnection connection = connectedWith(new OutboundSettings(OutboundSettings.WhenDisconnected.BUFFER,
				10_000, 16L * 1024 * 1024, OutboundSettings.Overflow.REJECT));
		connection.send("before");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.serverReceived.size() == 1);
		outage(connection);
		List<CompletableFuture<Void>> futures = new ArrayList<>();
		for (int i = 0; i < 10_000; i++) {
			futures.add(connection.send("m" + i));
		}
		assertThat(connection.snapshot().buffered()).isEqualTo(10_000);
		assertThat(futures).noneMatch(CompletableFuture::isDone);
		this.server.restart();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.serverReceived.size() == 10_001);
		List<String> expected = new ArrayList<>();
		expected.add("before");
		for (int i = 0; i < 10_000; i++) {
			expected.add("m" + i);
		}
		assertThat(this.serverReceived).containsExactlyElementsOf(expected);
		await().atMost(Duration.ofSeconds(5)).until(() -> futures.stream().allMatch(CompletableFuture::isDone));
		assertThat(futures).noneMatch(CompletableFuture::isCompletedExceptionally);
		assertThat(connection.snapshot().buffered()).isZero();
		connection.send("after");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.serverReceived.size() == 10_002);
		assertThat(this.serverReceived.get(10_001)).isEqualTo("after");
		connection.close();
	}

	@Test
	void rejectOverflowRefusesTheNewMessage() {
		ManagedConnection connection = connectedWith(new OutboundSettings(OutboundSettings.WhenDisconnected.BUFFER, 100,
				1024 * 1024, OutboundSettings.Overflow.REJECT));
		outage(connection);
		for (int i = 0; i < 100; i++) {
			connection.send("m" + i);
		}
		assertThat(connection.send("one too many")).failsWithin(Duration.ZERO)
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.havingCause()
			.isInstanceOf(OutboundBufferFullException.class)
			.withMessageContaining("100 messages");
		this.server.restart();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.serverReceived.size() == 100);
		assertThat(this.serverReceived.get(0)).isEqualTo("m0");
		assertThat(this.serverReceived).doesNotContain("one too many");
		connection.close();
	}

	@Test
	void dropOldestOverflowKeepsTheNewestAndCountsTheDropped() {
		ManagedConnection connection = connectedWith(new OutboundSettings(OutboundSettings.WhenDisconnected.BUFFER, 100,
				1024 * 1024, OutboundSettings.Overflow.DROP_OLDEST));
		outage(connection);
		List<CompletableFuture<Void>> futures = new ArrayList<>();
		for (int i = 0; i < 150; i++) {
			futures.add(connection.send("m" + i));
		}
		assertThat(connection.snapshot().droppedOutbound()).isEqualTo(50);
		assertThat(futures.subList(0, 50)).allMatch(CompletableFuture::isCompletedExceptionally);
		this.server.restart();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.serverReceived.size() == 100);
		assertThat(this.serverReceived.get(0)).isEqualTo("m50");
		assertThat(this.serverReceived.get(99)).isEqualTo("m149");
		connection.close();
	}

	@Test
	void aByteBoundAlsoLimitsTheBuffer() {
		ManagedConnection connection = connectedWith(new OutboundSettings(OutboundSettings.WhenDisconnected.BUFFER,
				1_000, 1_000, OutboundSettings.Overflow.REJECT));
		outage(connection);
		connection.send("x".repeat(600));
		assertThat(connection.send("y".repeat(600))).failsWithin(Duration.ZERO)
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.havingCause()
			.isInstanceOf(OutboundBufferFullException.class);
		assertThat(connection.send("z".repeat(2000))).failsWithin(Duration.ZERO)
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.havingCause()
			.isInstanceOf(OutboundBufferFullException.class);
		connection.close();
	}

	@Test
	void disconnectFailsWhatIsStillBufferedAndFailModeRefusesAtOnce() {
		ManagedConnection buffering = connectedWith(new OutboundSettings(OutboundSettings.WhenDisconnected.BUFFER, 10,
				1024, OutboundSettings.Overflow.REJECT));
		outage(buffering);
		CompletableFuture<Void> pending = buffering.send("never");
		buffering.disconnect().join();
		assertThat(pending).isCompletedExceptionally();
		assertThatExceptionOfType(java.util.concurrent.CompletionException.class).isThrownBy(pending::join)
			.withCauseInstanceOf(MessageNotSentException.class);
		this.server.restart();

		ManagedConnection failing = connectedWith(OutboundSettings.defaults());
		outage(failing);
		assertThat(failing.send("now")).failsWithin(Duration.ZERO)
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.havingCause()
			.isInstanceOf(NotConnectedException.class);
		failing.close();
		buffering.close();
	}

}
