package io.connectionmanager.core.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import io.connectionmanager.core.state.ConnectionSnapshot;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.config.OutboundSettings;
import io.connectionmanager.core.outbound.OutboundBufferFullException;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.testing.Measurements;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Against a peer that stops reading, what a CONNECTED connection holds stays bounded:
 * Netty's write buffer up to its high water mark, then the outbound buffer up to
 * {@code outbound.buffer-size}, then {@code outbound.overflow} refuses, through the
 * futures. Nothing blocks and nothing throws.
 */
class OutboundWhileConnectedTests {

	private static final int MESSAGE_BYTES = 1024;

	/**
	 * Twice the high water mark (64 KiB): sends from a thread other than the event loop
	 * see the write buffer's size as Netty estimates it on submission, and the frames
	 * grow by their headers once encoded on the loop; measured about 1.5 times.
	 */
	private static final long NETTY_BOUND = 2 * 64 * 1024 + MESSAGE_BYTES;

	@Test
	void aPeerThatStopsReadingCostsBoundedMemoryAndRefusalsFailTheirFutures() throws Exception {
		try (ConnectionRuntime runtime = ConnectionRuntime.create(1);
				TestWebSocketServer peer = TestWebSocketServer.start()) {
			peer.onBinary((connection, data) -> {
			});
			ManagedConnection connection = ManagedConnection
				.builder(ConnectionSettings.builder("slow-reader")
					.url(peer.uri("/").toString())
					.heartbeat(HeartbeatSettings.disabled())
					.circuitBreaker(CircuitBreakerSettings.disabled())
					.outbound(new OutboundSettings(OutboundSettings.WhenDisconnected.FAIL, 100, 16L * 1024 * 1024,
							OutboundSettings.Overflow.REJECT))
					.build())
				.runtime(runtime)
				.build();
			connection.connect();
			await().atMost(Duration.ofSeconds(5)).until(() -> connection.state() == ConnectionState.CONNECTED);
			peer.freeze();

			// Far more than the kernel's socket buffers take (about 4 MB on loopback).
			List<CompletableFuture<Void>> sends = new ArrayList<>();
			for (int i = 0; i < 20_000; i++) {
				sends.add(connection.send(new byte[MESSAGE_BYTES]));
			}
			// The last of them may still have found room (the event loop moves the buffer
			// on
			// into Netty and the kernel while they are sent): send more until one is
			// refused, which happens at once when the buffer is full, so every layer is.
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				CompletableFuture<Void> probe = connection.send(new byte[MESSAGE_BYTES]);
				sends.add(probe);
				return probe.isCompletedExceptionally();
			});
			ConnectionSnapshot stalled = connection.snapshot();
			long refused = sends.stream().filter(CompletableFuture::isCompletedExceptionally).count();
			assertThat(refused).isGreaterThan(0);
			for (CompletableFuture<Void> send : sends) {
				if (send.isCompletedExceptionally()) {
					assertThat(causeOf(send)).isInstanceOf(OutboundBufferFullException.class);
				}
			}
			// Refusals mean the buffer was full (100); by the snapshot the event loop may
			// have moved some of it on into the kernel's socket buffers.
			assertThat(stalled.buffered()).isBetween(0, 100);
			assertThat(stalled.outboundPendingBytes()).isLessThanOrEqualTo(NETTY_BOUND);
			long accepted = sends.size() - refused;
			Measurements.record("slow-reader", Map.of("sent", sends.size(), "accepted", accepted, "refused", refused,
					"buffered", stalled.buffered(), "pendingBytes", stalled.outboundPendingBytes()));

			peer.unfreeze();
			await().atMost(Duration.ofSeconds(30)).until(() -> peer.binaryMessagesReceived() == accepted);
			await().atMost(Duration.ofSeconds(5))
				.until(() -> sends.stream()
					.filter((send) -> !send.isCompletedExceptionally())
					.allMatch(CompletableFuture::isDone));
			assertThat(connection.snapshot().buffered()).isZero();
			assertThat(connection.state()).isEqualTo(ConnectionState.CONNECTED);
			connection.close();
		}
	}

	private static Throwable causeOf(CompletableFuture<Void> send) {
		try {
			send.get();
			return null;
		}
		catch (ExecutionException ex) {
			return ex.getCause();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return ex;
		}
	}

}
