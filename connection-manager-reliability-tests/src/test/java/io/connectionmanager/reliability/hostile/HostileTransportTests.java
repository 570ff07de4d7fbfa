package io.connectionmanager.reliability.hostile;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;

import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.Framing;
import io.connectionmanager.core.config.InboundSettings;
import io.connectionmanager.core.config.TlsSettings;
import io.connectionmanager.core.failure.Failure;
import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.reliability.support.Observed;
import io.connectionmanager.reliability.support.RawPeer;
import io.connectionmanager.reliability.support.Settings;
import io.connectionmanager.test.tls.TestTls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.connectionmanager.core.state.ConnectionState.CONNECTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hostile peers below the WebSocket layer: TCP that never becomes TLS, a TLS port that
 * answers in plain text, and binary garbage on the raw TCP framings. Seeds are fixed so
 * that every run sends the same bytes.
 */
class HostileTransportTests {

	private static final int MAX_MESSAGE = 1024;

	private static final long MAX_QUEUED_BYTES = 16 * 1024;

	private static final ConnectionRuntime runtime = ConnectionRuntime.create(1);

	@AfterAll
	static void release() {
		runtime.close();
	}

	private static ConnectionSettings.Builder settings(URI url) {
		return Settings.fast("hostile", url)
			.connectTimeout(Duration.ofMillis(500))
			.inbound(new InboundSettings(MAX_MESSAGE, 100, MAX_QUEUED_BYTES))
			.tls(new TlsSettings(TestTls.trustStorePath(), TestTls.trustStorePassword(), TestTls.trustStoreType(), true,
					null));
	}

	@ParameterizedTest(name = "{0}://")
	@ValueSource(strings = { "wss", "tls" })
	void aPeerThatAcceptsTcpButNeverCompletesTlsTimesOutAndIsRetried(String scheme) {
		try (RawPeer peer = RawPeer.start((socket, self) -> RawPeer.drain(socket));
				Observed observed = Observed.connect(runtime,
						settings(peer.uri(scheme, "/")).framing(Framing.LINES).build())) {
			Failure failure = observed.awaitFirstFailure();
			assertThat(failure.kind()).as(failure.describe()).isEqualTo(FailureKind.CONNECT_TIMEOUT);
			assertThat(failure.fatal()).isFalse();
			await().atMost(Duration.ofSeconds(10)).until(() -> peer.connectionsAccepted() >= 3);
			assertThat(observed.connection().state()).isNotEqualTo(CONNECTED);
		}
	}

	@ParameterizedTest(name = "{0}://")
	@ValueSource(strings = { "wss", "tls" })
	void aTlsPortAnsweringInPlainTextIsARetryableHandshakeFailure(String scheme) {
		try (RawPeer peer = RawPeer.start((socket, self) -> {
			socket.getInputStream().read();
			self.write(socket,
					"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			RawPeer.drain(socket);
		});
				Observed observed = Observed.connect(runtime,
						settings(peer.uri(scheme, "/")).framing(Framing.LINES).build())) {
			Failure failure = observed.awaitFirstFailure();
			assertThat(failure.kind()).as(failure.describe()).isEqualTo(FailureKind.TLS_HANDSHAKE);
			assertThat(failure.fatal()).isFalse();
			await().atMost(Duration.ofSeconds(10)).until(() -> peer.connectionsAccepted() >= 3);
		}
	}

	@Test
	void binaryGarbageWithLineBreaksIsDeliveredAsBoundedLinesAndTheConnectionStaysUp() {
		byte[] garbage = garbage(7, 256 * 1024, 200);
		try (RawPeer peer = RawPeer.start((socket, self) -> {
			self.write(socket, garbage);
			RawPeer.drain(socket);
		});
				Observed observed = Observed.connect(runtime,
						settings(peer.uri("tcp", "")).framing(Framing.LINES).build())) {
			await().atMost(Duration.ofSeconds(20))
				.until(() -> peer.bytesWritten() == garbage.length
						&& observed.connection().snapshot().inboundQueued() == 0 && observed.messages().size() > 1000);
			assertThat(observed.connection().state()).isEqualTo(CONNECTED);
			assertThat(observed.timeline().firstFailure()).isEmpty();
			assertThat(observed.messages())
				.allSatisfy((message) -> assertThat(message.size()).isLessThanOrEqualTo(MAX_MESSAGE * 3)); // a
																											// line
																											// of
																											// at
																											// most
																											// 1
																											// KiB
																											// of
																											// bytes,
																											// some
																											// decoded
																											// as
																											// U+FFFD
			// Queued bytes stay within the bound plus what one read (at most 64 KiB) had
			// already taken in. Queues
			// count the text's UTF-8 size, and each invalid byte decodes to U+FFFD (3
			// bytes): hence the factor 3.
			assertThat(observed.connection().snapshot().inboundPeakBytes())
				.isLessThanOrEqualTo(MAX_QUEUED_BYTES + 3 * (64 * 1024 + MAX_MESSAGE));
		}
	}

	@Test
	void binaryGarbageWithoutLineBreaksIsRefusedAtTheLineLimit() {
		byte[] garbage = garbage(11, 1024 * 1024, 0);
		try (RawPeer peer = RawPeer.start((socket, self) -> {
			self.write(socket, garbage);
			RawPeer.drain(socket);
		});
				Observed observed = Observed.connect(runtime,
						settings(peer.uri("tcp", "")).framing(Framing.LINES).build())) {
			Failure failure = observed.awaitFirstFailure();
			assertThat(failure.kind()).as(failure.describe()).isEqualTo(FailureKind.MESSAGE_TOO_LARGE);
			assertThat(failure.fatal()).isFalse();
			await().atMost(Duration.ofSeconds(10)).until(() -> peer.connectionsAccepted() >= 3);
			assertThat(observed.messages()).isEmpty();
			assertThat(observed.connection().snapshot().inboundPeakBytes()).isZero();
		}
	}

	@Test
	void binaryGarbageOnALengthPrefixedConnectionIsRefusedByItsLength() {
		byte[] garbage = garbage(13, 64 * 1024, 0);
		try (RawPeer peer = RawPeer.start((socket, self) -> {
			self.write(socket, garbage);
			RawPeer.drain(socket);
		});
				Observed observed = Observed.connect(runtime,
						settings(peer.uri("tcp", "")).framing(Framing.LENGTH_PREFIXED).build())) {
			Failure failure = observed.awaitFirstFailure();
			assertThat(failure.kind()).as(failure.describe()).isEqualTo(FailureKind.MESSAGE_TOO_LARGE);
			assertThat(failure.fatal()).isFalse();
			await().atMost(Duration.ofSeconds(10)).until(() -> peer.connectionsAccepted() >= 3);
			assertThat(observed.messages()).isEmpty();
		}
	}

	@Test
	void garbageBetweenGoodLinesDoesNotCorruptTheGoodOnes() {
		byte[] good = "first\n".getBytes(StandardCharsets.US_ASCII);
		byte[] bad = garbage(17, 512, 0);
		byte[] after = "\nsecond\n".getBytes(StandardCharsets.US_ASCII);
		try (RawPeer peer = RawPeer.start((socket, self) -> {
			self.write(socket, good);
			self.write(socket, bad);
			self.write(socket, after);
			RawPeer.drain(socket);
		});
				Observed observed = Observed.connect(runtime,
						settings(peer.uri("tcp", "")).framing(Framing.LINES).build())) {
			await().atMost(Duration.ofSeconds(10)).until(() -> observed.messages().size() >= 3);
			assertThat(observed.messages()).hasSize(3);
			assertThat(observed.messages().get(0)).isEqualTo(Message.text("first"));
			assertThat(observed.messages().get(2)).isEqualTo(Message.text("second"));
			assertThat(observed.connection().state()).isEqualTo(CONNECTED);
		}
	}

	/**
	 * Seeded random bytes without '\n' (and '\r'), with a '\n' at most every
	 * {@code lineEvery} bytes if positive.
	 */
	private static byte[] garbage(long seed, int length, int lineEvery) {
		Random random = new Random(seed);
		byte[] bytes = new byte[length];
		random.nextBytes(bytes);
		int sinceBreak = 0;
		for (int i = 0; i < length; i++) {
			if (bytes[i] == '\n' || bytes[i] == '\r') {
				bytes[i] = 0;
			}
			sinceBreak++;
			if (lineEvery > 0 && sinceBreak >= 1 + random.nextInt(lineEvery)) {
				bytes[i] = '\n';
				sinceBreak = 0;
			}
		}
		return bytes;
	}

}
