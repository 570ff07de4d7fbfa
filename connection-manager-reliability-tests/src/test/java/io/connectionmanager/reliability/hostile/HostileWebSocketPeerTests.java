package io.connectionmanager.reliability.hostile;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.InboundSettings;
import io.connectionmanager.core.failure.Failure;
import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.reliability.support.Observed;
import io.connectionmanager.reliability.support.RawPeer;
import io.connectionmanager.reliability.support.Settings;
import io.connectionmanager.reliability.support.StateTimeline;
import io.connectionmanager.test.server.ServerConnection;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static io.connectionmanager.core.state.ConnectionState.CONNECTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * WebSocket peers that break the protocol on purpose. Every case ends in a classified,
 * retryable failure (the client keeps reconnecting to the same hostile peer), and nothing
 * the peer sends is buffered beyond the configured bounds.
 */
class HostileWebSocketPeerTests {

	private static final int MAX_MESSAGE = 4 * 1024;

	private static final ConnectionRuntime runtime = ConnectionRuntime.create(1);

	@AfterAll
	static void release() {
		runtime.close();
	}

	private static ConnectionSettings settings(URI url) {
		return Settings.fast("hostile", url).inbound(new InboundSettings(MAX_MESSAGE, 100, 64 * 1024)).build();
	}

	/**
	 * The peer upgrades properly, then writes {@code bytes}, then keeps the socket open
	 * and drained.
	 */
	private static RawPeer afterUpgrade(byte[] bytes) {
		return RawPeer.start((socket, peer) -> {
			peer.acceptUpgrade(socket);
			peer.write(socket, bytes);
			RawPeer.drain(socket);
		});
	}

	/**
	 * Connects to the peer and returns the first failure, after checking the client kept
	 * retrying.
	 */
	private static Failure firstFailureAgainst(RawPeer peer) {
		try (Observed observed = Observed.connect(runtime, settings(peer.uri("ws", "/hostile")))) {
			Failure failure = observed.awaitFirstFailure();
			await().atMost(Duration.ofSeconds(10)).until(() -> peer.connectionsAccepted() >= 3);
			assertThat(observed.connection().snapshot().inboundQueuedBytes()).isZero();
			assertThat(observed.connection().snapshot().inboundPeakBytes()).isLessThanOrEqualTo(MAX_MESSAGE);
			assertThat(observed.messages()).isEmpty();
			return failure;
		}
	}

	private static void assertRetryable(Failure failure, FailureKind kind) {
		assertThat(failure.kind()).as(failure.describe()).isEqualTo(kind);
		assertThat(failure.fatal()).as("fatal").isFalse();
	}

	@Test
	void anOversizedMessageIsRefusedAndTheConnectionRecovers() {
		try (TestWebSocketServer server = TestWebSocketServer.start()) {
			server.onOpen((connection) -> connection
				.sendText((server.handshakeCount() == 1) ? "x".repeat(MAX_MESSAGE * 16) : "small"));
			try (Observed observed = Observed.connect(runtime, settings(server.uri("/big")))) {
				Failure failure = observed.awaitFirstFailure();
				assertRetryable(failure, FailureKind.MESSAGE_TOO_LARGE);
				await().atMost(Duration.ofSeconds(10)).until(() -> observed.messages().contains(Message.text("small")));
				assertThat(observed.connection().state()).isEqualTo(CONNECTED);
				assertThat(observed.connection().snapshot().inboundPeakBytes()).isLessThanOrEqualTo(MAX_MESSAGE);
			}
		}
	}

	@Test
	void aFrameDeclaringAnExabyteIsRefusedBeforeAnythingIsBuffered() {
		try (RawPeer peer = afterUpgrade(RawPeer.frame(0x81, 1L << 60, "abc".getBytes(StandardCharsets.US_ASCII)))) {
			assertRetryable(firstFailureAgainst(peer), FailureKind.MESSAGE_TOO_LARGE);
		}
	}

	@Test
	void fragmentsAddingUpPastTheLimitAreRefused() {
		byte[] fragment = "y".repeat(1024).getBytes(StandardCharsets.US_ASCII);
		ByteArrayOutputStream frames = new ByteArrayOutputStream();
		frames.writeBytes(RawPeer.frame(0x01, fragment.length, fragment)); // text, not
																			// final
		for (int i = 0; i < 64; i++) {
			frames.writeBytes(RawPeer.frame(0x00, fragment.length, fragment)); // continuations,
																				// never
																				// final
		}
		try (RawPeer peer = afterUpgrade(frames.toByteArray())) {
			assertRetryable(firstFailureAgainst(peer), FailureKind.MESSAGE_TOO_LARGE);
		}
	}

	@Test
	void bytesThatAreNotAWebSocketFrameAreAProtocolError() {
		try (RawPeer peer = afterUpgrade("this is not a websocket frame\r\n".getBytes(StandardCharsets.US_ASCII))) {
			assertRetryable(firstFailureAgainst(peer), FailureKind.PROTOCOL_ERROR);
		}
	}

	@Test
	void aReservedOpcodeIsAProtocolError() {
		try (RawPeer peer = afterUpgrade(RawPeer.frame(0x3, "?".getBytes(StandardCharsets.US_ASCII)))) {
			assertRetryable(firstFailureAgainst(peer), FailureKind.PROTOCOL_ERROR);
		}
	}

	@Test
	void aMaskedFrameFromTheServerIsAProtocolError() {
		byte[] masked = { (byte) 0x81, (byte) 0x82, 1, 2, 3, 4, 'h' ^ 1, 'i' ^ 2 };
		try (RawPeer peer = afterUpgrade(masked)) {
			assertRetryable(firstFailureAgainst(peer), FailureKind.PROTOCOL_ERROR);
		}
	}

	@Test
	void anOversizedControlFrameIsAProtocolError() {
		try (RawPeer peer = afterUpgrade(RawPeer.frame(0x9, new byte[200]))) { // pings
																				// carry
																				// at most
																				// 125
																				// bytes
			assertRetryable(firstFailureAgainst(peer), FailureKind.PROTOCOL_ERROR);
		}
	}

	@Test
	void aCloseFrameWithAReservedCodeIsAProtocolError() {
		byte[] payload = { (byte) (1005 >> 8), (byte) (1005 & 0xFF) }; // 1005 must never
																		// be sent on the
																		// wire
		try (RawPeer peer = afterUpgrade(RawPeer.frame(0x8, payload))) {
			assertRetryable(firstFailureAgainst(peer), FailureKind.PROTOCOL_ERROR);
		}
	}

	@Test
	void invalidUtf8InATextFrameFailsTheConnection() {
		try (RawPeer peer = afterUpgrade(RawPeer.frame(0x1, new byte[] { (byte) 0xC3, 0x28 }));
				Observed observed = Observed.connect(runtime, settings(peer.uri("ws", "/utf8")))) {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> observed.timeline().firstFailure().isPresent() || !observed.messages().isEmpty());
			assertThat(observed.messages()).as("delivered to the application").isEmpty();
			assertRetryable(observed.awaitFirstFailure(), FailureKind.PROTOCOL_ERROR);
		}
	}

	@Test
	void anUpgradeThatNeverGetsAnAnswerTimesOutAndIsRetried() {
		try (TestWebSocketServer server = TestWebSocketServer.start()) {
			server.stallHandshakes(true);
			try (Observed observed = Observed.connect(runtime, settings(server.uri("/stalled")))) {
				Failure failure = observed.awaitFirstFailure();
				assertRetryable(failure, FailureKind.CONNECT_TIMEOUT);
				await().atMost(Duration.ofSeconds(10)).until(() -> server.handshakeCount() >= 2);
				server.stallHandshakes(false);
				StateTimeline.awaitState(observed.connection(), CONNECTED);
			}
		}
	}

	/** Answers the upgrade with a 101 status line and then header lines, forever. */
	private static RawPeer endlessHeaders() {
		return RawPeer.start((socket, self) -> {
			RawPeer.readRequestHead(socket);
			self.write(socket, "HTTP/1.1 101 Switching Protocols\r\n".getBytes(StandardCharsets.US_ASCII));
			byte[] header = ("X-Padding: " + "p".repeat(1000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
			while (true) {
				self.write(socket, header);
			}
		});
	}

	/**
	 * Completes the upgrade with a Sec-WebSocket-Accept that does not match the client's
	 * key.
	 */
	private static RawPeer wrongAcceptKey() {
		return RawPeer.start((socket, self) -> {
			RawPeer.readRequestHead(socket);
			self.write(socket,
					("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
							+ "Sec-WebSocket-Accept: bm90IHRoZSByaWdodCBrZXk=\r\n\r\n")
						.getBytes(StandardCharsets.US_ASCII));
			RawPeer.drain(socket);
		});
	}

	@Test
	void headersThatNeverEndAreRefusedLongBeforeTheConnectTimeoutAndRetried() {
		try (RawPeer peer = endlessHeaders();
				Observed observed = Observed.connect(runtime,
						Settings.fast("hostile", peer.uri("ws", "/endless"))
							.inbound(new InboundSettings(MAX_MESSAGE, 100, 64 * 1024))
							.connectTimeout(Duration.ofSeconds(20))
							.build())) {
			long started = System.nanoTime();
			Failure failure = observed.awaitFirstFailure();
			// The connect timeout is 20 s: the refusal comes first (its kind says so)
			// and well within a bound no busy machine approaches.
			assertThat(failure.kind()).as(failure.describe()).isNotEqualTo(FailureKind.CONNECT_TIMEOUT);
			assertThat((System.nanoTime() - started) / 1_000_000).as("ms until refused").isLessThan(10_000);
			assertThat(failure.fatal()).isFalse();
			await().atMost(Duration.ofSeconds(10)).until(() -> peer.connectionsAccepted() >= 3);
			// Only what the kernel buffers before the client hangs up: the client stopped
			// at its header limit.
			assertThat(peer.bytesWritten() / peer.connectionsAccepted()).isLessThan(16L * 1024 * 1024);
			assertThat(observed.connection().snapshot().inboundPeakBytes()).isZero();
		}
	}

	@Test
	void headersThatNeverEndAreAProtocolError() {
		try (RawPeer peer = endlessHeaders()) {
			assertRetryable(firstFailureAgainst(peer), FailureKind.PROTOCOL_ERROR);
		}
	}

	@Test
	void aWrongUpgradeAcceptKeyIsRefusedAndRetried() {
		try (RawPeer peer = wrongAcceptKey()) {
			Failure failure = firstFailureAgainst(peer);
			assertThat(failure.fatal()).isFalse();
			assertThat(failure.message()).contains("Invalid challenge");
		}
	}

	@Test
	void aWrongUpgradeAcceptKeyIsAProtocolError() {
		try (RawPeer peer = wrongAcceptKey()) {
			assertRetryable(firstFailureAgainst(peer), FailureKind.PROTOCOL_ERROR);
		}
	}

	@Test
	void aPingFloodIsAnsweredWithoutDisturbingTheConnection() {
		int pings = 20_000;
		try (TestWebSocketServer server = TestWebSocketServer.start();
				Observed observed = Observed.connect(runtime, settings(server.uri("/pings")))) {
			StateTimeline.awaitState(observed.connection(), CONNECTED);
			ServerConnection peer = server.connections().get(0);
			byte[] payload = new byte[125];
			for (int i = 0; i < pings; i++) {
				peer.sendPing(payload);
			}
			observed.connection().send("after the flood");
			await().atMost(Duration.ofSeconds(30))
				.until(() -> observed.messages().contains(Message.text("after the flood")));
			await().atMost(Duration.ofSeconds(30)).until(() -> server.pongsReceived() >= pings);
			assertThat(observed.connection().state()).isEqualTo(CONNECTED);
			assertThat(observed.timeline().firstFailure()).isEmpty();
			// Pings are answered on the event loop and never queued for the application.
			assertThat(observed.connection().snapshot().inboundPeakBytes()).isLessThan(1024);
			assertThat(observed.messages()).hasSize(1);
		}
	}

}
