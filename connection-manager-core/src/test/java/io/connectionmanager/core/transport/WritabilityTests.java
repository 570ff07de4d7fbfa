package io.connectionmanager.core.transport;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.Framing;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.config.OutboundSettings;
import io.connectionmanager.core.internal.transport.Transports;
import io.connectionmanager.core.runtime.ConnectionExecutor;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.testing.Measurements;
import io.connectionmanager.test.net.LoopbackServer;
import io.connectionmanager.test.server.TestLineServer;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The built-in transports against a real peer that stops reading: the session turns
 * unwritable at the write-buffer high water mark (so that the engine can hold further
 * sends in its own bounded buffer), what Netty holds stays near that mark, and it turns
 * writable again once the peer reads.
 */
class WritabilityTests {

	/**
	 * Far beyond any kernel socket buffer: a session that never turns unwritable fails.
	 */
	private static final long GIVE_UP_BYTES = 256L * 1024 * 1024;

	/** Netty's per-write bookkeeping and frame headers on top of the payload. */
	private static final int OVERHEAD = 1024;

	private final ConnectionRuntime runtime = ConnectionRuntime.create(1);

	private LoopbackServer server;

	private final ConnectionExecutor executor = this.runtime.newExecutor();

	private TransportSession session;

	@AfterEach
	void close() {
		if (this.session != null) {
			this.session.abort();
		}
		if (this.server != null) {
			this.server.close();
		}
		this.runtime.close();
	}

	private TransportSession open(ConnectionSettings settings, TransportListener listener) throws Exception {
		Transport transport = Transports.create(settings, this.runtime, this.executor);
		this.session = transport.open(new ConnectRequest(settings.url(), Map.of(), Duration.ofSeconds(2)), listener)
			.get(5, TimeUnit.SECONDS);
		return this.session;
	}

	@Test
	void aWebSocketPeerThatStopsReading() throws Exception {
		TestWebSocketServer peer = TestWebSocketServer.start();
		this.server = peer;
		peer.onBinary((connection, data) -> {
		});
		ConnectionSettings settings = ConnectionSettings.builder("slow-reader")
			.url(peer.uri("/").toString())
			.heartbeat(HeartbeatSettings.disabled())
			.build();
		RecordingTransportListener events = new RecordingTransportListener();
		TransportSession session = open(settings, events);
		int size = 16 * 1024;
		long sent = stallAndRecover(session, events, Message.binary(new byte[size]), 64 * 1024 + size + OVERHEAD,
				peer::binaryMessagesReceived, "websocket");
		assertThat(peer.binaryMessagesReceived()).isEqualTo(sent);
	}

	@Test
	void aTcpPeerThatStopsReadingWithAWaterMarkFromTheOutboundByteBudget() throws Exception {
		TestLineServer peer = TestLineServer.start(TestLineServer.Framing.LINES, 64 * 1024);
		this.server = peer;
		peer.onLine((connection, line) -> {
		});
		int budget = 8 * 1024;
		ConnectionSettings settings = ConnectionSettings.builder("slow-reader")
			.url("tcp://127.0.0.1:" + peer.port())
			.framing(Framing.LINES)
			.outbound(new OutboundSettings(OutboundSettings.WhenDisconnected.FAIL, 1000, budget,
					OutboundSettings.Overflow.REJECT))
			.heartbeat(HeartbeatSettings.disabled())
			.build();
		RecordingTransportListener events = new RecordingTransportListener();
		TransportSession session = open(settings, events);
		int size = 1024;
		long sent = stallAndRecover(session, events, Message.text("x".repeat(size - 1)), budget + size + OVERHEAD,
				peer::linesReceived, "tcp");
		assertThat(peer.linesReceived()).isEqualTo(sent);
	}

	/**
	 * Freezes the peer, sends from the event loop until the session turns unwritable (as
	 * the engine does), checks what Netty holds, then lets the peer read again.
	 * @return how many messages were sent
	 */
	private long stallAndRecover(TransportSession session, RecordingTransportListener events, Message message,
			long bound, LongSupplier received, String name) throws Exception {
		assertThat(session.isWritable()).isTrue();
		this.server.freeze();
		CompletableFuture<CompletableFuture<Void>> lastSend = new CompletableFuture<>();
		AtomicLong sent = new AtomicLong();
		this.executor.execute(() -> {
			CompletableFuture<Void> last = null;
			while (session.isWritable() && sent.get() * message.size() < GIVE_UP_BYTES) {
				last = session.send(message);
				sent.incrementAndGet();
			}
			lastSend.complete(last);
		});
		CompletableFuture<Void> last = lastSend.get(60, TimeUnit.SECONDS);
		assertThat(session.isWritable()).as("writable after %d bytes", sent.get() * message.size()).isFalse();
		assertThat(events.writability).containsExactly(false);
		long pendingAtStall = session.pendingOutboundBytes();
		assertThat(pendingAtStall).isGreaterThan(bound / 2).isLessThanOrEqualTo(bound);
		assertThat(last).isNotDone();

		this.server.unfreeze();
		await().atMost(Duration.ofSeconds(30)).until(() -> received.getAsLong() == sent.get());
		await().atMost(Duration.ofSeconds(5)).until(() -> events.writability.size() == 2);
		assertThat(events.writability).containsExactly(false, true);
		assertThat(session.isWritable()).isTrue();
		assertThat(session.pendingOutboundBytes()).isZero();
		assertThat(last).isCompleted();
		Measurements.record("WritabilityTests." + name, Map.of("messageBytes", message.size(), "bound", bound,
				"pendingAtStall", pendingAtStall, "bytesTakenBeforeStall", sent.get() * message.size()));
		return sent.get();
	}

	@Test
	void sessionsWrittenBeforeWritabilityExistedAreAlwaysWritable() {
		TransportSession minimal = new TransportSession() {
			@Override
			public CompletableFuture<Void> send(Message message) {
				return CompletableFuture.completedFuture(null);
			}

			@Override
			public boolean ping(byte[] payload) {
				return false;
			}

			@Override
			public CompletableFuture<Void> close(int code, String reason) {
				return CompletableFuture.completedFuture(null);
			}

			@Override
			public void abort() {
			}
		};
		assertThat(minimal.isWritable()).isTrue();
		assertThat(minimal.pendingOutboundBytes()).isZero();
	}

}
