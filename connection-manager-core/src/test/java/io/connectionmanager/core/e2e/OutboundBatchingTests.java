package io.connectionmanager.core.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.internal.transport.Transports;
import io.connectionmanager.core.runtime.ConnectionExecutor;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.transport.ConnectRequest;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.core.transport.Transport;
import io.connectionmanager.core.transport.TransportListener;
import io.connectionmanager.core.transport.TransportSession;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sends from an application thread queue for the event loop, which writes what has queued
 * as one batch with one flush: a burst costs one write to the socket, not one per
 * message. Against a real loopback peer: every message arrives, in order, and the burst
 * takes a handful of flushes, not a thousand.
 */
class OutboundBatchingTests {

	private static final int BURST = 1_000;

	@Test
	void aBurstQueuedWhileTheLoopIsBusyLeavesInOrderWithOneFlush() throws Exception {
		try (ConnectionRuntime runtime = ConnectionRuntime.create(1);
				TestWebSocketServer peer = TestWebSocketServer.start()) {
			List<String> received = new CopyOnWriteArrayList<>();
			peer.onText((connection, text) -> received.add(text));
			ConnectionSettings settings = ConnectionSettings.builder("burst")
				.url(peer.uri("/").toString())
				.heartbeat(HeartbeatSettings.disabled())
				.circuitBreaker(CircuitBreakerSettings.disabled())
				.build();
			ConnectionExecutor loop = runtime.newExecutor();
			CountingTransport transport = new CountingTransport(Transports.create(settings, runtime, loop));
			ManagedConnection connection = ManagedConnection.builder(settings)
				.runtime(runtime)
				.executor(loop)
				.transport(transport)
				.build();
			connection.connect();
			await().atMost(Duration.ofSeconds(5)).until(() -> connection.state() == ConnectionState.CONNECTED);
			int flushesBefore = transport.flushes.get();

			// Hold the event loop so that the whole burst is queued before it runs.
			CountDownLatch release = new CountDownLatch(1);
			loop.execute(() -> awaitQuietly(release));
			List<CompletableFuture<Void>> sends = new ArrayList<>();
			for (int i = 0; i < BURST; i++) {
				sends.add(connection.send("m" + i));
			}
			release.countDown();

			await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == BURST);
			assertThat(received).containsExactlyElementsOf(
					java.util.stream.IntStream.range(0, BURST).mapToObj((i) -> "m" + i).toList());
			await().atMost(Duration.ofSeconds(5)).until(() -> sends.stream().allMatch(CompletableFuture::isDone));
			assertThat(sends).noneMatch(CompletableFuture::isCompletedExceptionally);
			assertThat(transport.batched.get()).isEqualTo(BURST);
			// One flush per batch; a batch also ends when Netty's write buffer reaches
			// its
			// high water mark (64 KiB, about 650 of these frames with Netty's per-entry
			// overhead), so a few batches, never one flush per message.
			assertThat(transport.flushes.get() - flushesBefore).isBetween(1, 10);
			connection.close();
		}
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** The real transport, counting how its sessions are written to. */
	private static final class CountingTransport implements Transport {

		private final Transport delegate;

		private final AtomicInteger batched = new AtomicInteger();

		private final AtomicInteger flushes = new AtomicInteger();

		CountingTransport(Transport delegate) {
			this.delegate = delegate;
		}

		@Override
		public CompletableFuture<TransportSession> open(ConnectRequest request, TransportListener listener) {
			return this.delegate.open(request, listener).thenApply(CountingSession::new);
		}

		@Override
		public void close() {
			this.delegate.close();
		}

		private final class CountingSession implements TransportSession {

			private final TransportSession session;

			CountingSession(TransportSession session) {
				this.session = session;
			}

			@Override
			public CompletableFuture<Void> send(Message message) {
				return this.session.send(message);
			}

			@Override
			public CompletableFuture<Void> sendBatched(Message message) {
				CountingTransport.this.batched.incrementAndGet();
				return this.session.sendBatched(message);
			}

			@Override
			public void flush() {
				CountingTransport.this.flushes.incrementAndGet();
				this.session.flush();
			}

			@Override
			public boolean ping(byte[] payload) {
				return this.session.ping(payload);
			}

			@Override
			public CompletableFuture<Void> close(int code, String reason) {
				return this.session.close(code, reason);
			}

			@Override
			public void abort() {
				this.session.abort();
			}

			@Override
			public void setReadable(boolean readable) {
				this.session.setReadable(readable);
			}

			@Override
			public boolean isWritable() {
				return this.session.isWritable();
			}

			@Override
			public long pendingOutboundBytes() {
				return this.session.pendingOutboundBytes();
			}

			@Override
			public String subprotocol() {
				return this.session.subprotocol();
			}

		}

	}

}
