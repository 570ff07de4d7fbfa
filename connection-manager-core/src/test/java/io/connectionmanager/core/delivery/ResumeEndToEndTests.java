package io.connectionmanager.core.delivery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.backoff.Jitter;
import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.config.ReconnectSettings;
import io.connectionmanager.core.config.ResumeSettings;
import io.connectionmanager.core.internal.resume.FileResumeStore;
import io.connectionmanager.core.resume.StreamPosition;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.testing.Measurements;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.test.server.SequencedStreamServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No gaps, no duplicates: a numbered stream survives server restarts and application
 * restarts.
 */
class ResumeEndToEndTests {

	private static ConnectionSettings.Builder settings(SequencedStreamServer server, ResumeSettings resume) {
		return ConnectionSettings.builder("stream")
			.url(server.uri("/stream").toString())
			.reconnect(new ReconnectSettings(Duration.ofMillis(5), Duration.ofMillis(50), 2.0, Jitter.FULL, -1,
					Duration.ofSeconds(30)))
			.heartbeat(HeartbeatSettings.disabled())
			.circuitBreaker(CircuitBreakerSettings.disabled())
			.resume(resume);
	}

	@Test
	void everyNumberArrivesExactlyOnceInOrderAcross50ServerRestarts() {
		long total = 100_000;
		try (ConnectionRuntime runtime = ConnectionRuntime.create(2);
				SequencedStreamServer server = SequencedStreamServer.start(total, 20, 1000)) {
			SequenceCollector collector = new SequenceCollector(0);
			ManagedConnection connection = ManagedConnection
				.builder(
						settings(server, ResumeSettings.inMemory(ResumeSettings.Carrier.QUERY_PARAMETER, "resume-from"))
							.build())
				.runtime(runtime)
				.handler(collector)
				.build();
			connection.connect();
			for (int restart = 1; restart <= 50; restart++) {
				long threshold = restart * (total / 52);
				// Each kill hits a live connection: messages still queued for the handler
				// after the previous kill
				// could otherwise reach the threshold before the client has reconnected.
				await().atMost(Duration.ofSeconds(30))
					.until(() -> collector.received() >= threshold && connection.state() == ConnectionState.CONNECTED);
				server.server().kill();
				server.server().restart();
			}
			await().atMost(Duration.ofSeconds(60)).until(() -> collector.received() >= total);
			assertThat(collector.received()).isEqualTo(total);
			assertThat(collector.last()).isEqualTo(total);
			assertThat(collector.outOfOrder()).isZero();
			assertThat(connection.snapshot().gaps()).isZero();
			assertThat(server.server().handshakeCount()).isGreaterThanOrEqualTo(51);
			Measurements.record("resume-50-restarts", Map.of("received", collector.received(), "handshakes",
					server.server().handshakeCount(), "duplicatesDropped", connection.snapshot().duplicatesDropped()));
			connection.close();
		}
	}

	@Test
	void aRestartedApplicationResumesFromItsFileStore(@TempDir Path directory) {
		long total = 20_000;
		ResumeSettings resume = new ResumeSettings(true, ResumeSettings.Store.FILE, directory,
				ResumeSettings.Carrier.HEADER, "Resume-From", Duration.ofMillis(50));
		try (ConnectionRuntime runtime = ConnectionRuntime.create(2);
				SequencedStreamServer server = SequencedStreamServer.start(total, 20, 1000)) {
			SequenceCollector firstRun = new SequenceCollector(0);
			ManagedConnection first = ManagedConnection.builder(settings(server, resume).build())
				.runtime(runtime)
				.handler(firstRun)
				.build();
			first.connect();
			await().atMost(Duration.ofSeconds(30)).until(() -> firstRun.received() >= 8_000);
			first.close();
			long stoppedAt = firstRun.last();
			assertThat(new FileResumeStore(directory, Duration.ZERO).load("stream"))
				.isEqualTo(StreamPosition.sequence(stoppedAt));

			SequenceCollector secondRun = new SequenceCollector(stoppedAt);
			ManagedConnection second = ManagedConnection.builder(settings(server, resume).build())
				.runtime(runtime)
				.handler(secondRun)
				.build();
			second.connect();
			await().atMost(Duration.ofSeconds(30)).until(() -> secondRun.last() >= total);
			assertThat(firstRun.outOfOrder() + secondRun.outOfOrder()).isZero();
			assertThat(firstRun.received() + secondRun.received()).isEqualTo(total);
			assertThat(server.server().handshakes().get(1).header("Resume-From")).isEqualTo(Long.toString(stoppedAt));
			second.close();
		}
	}

	@Test
	void aCorruptStoreFileGivesAWarningAndAFreshStart(@TempDir Path directory) throws IOException {
		FileResumeStore store = new FileResumeStore(directory, Duration.ZERO);
		Files.writeString(directory.resolve("stream.position"), "seq:not-a-number\u0000garbage");
		assertThat(store.load("stream")).isNull();
		assertThat(directory.resolve("stream.position.corrupt")).exists();
		store.save("stream", StreamPosition.sequence(42));
		assertThat(new FileResumeStore(directory, Duration.ZERO).load("stream")).isEqualTo(StreamPosition.sequence(42));
	}

	@Test
	void theFileStoreReplacesAtomicallyAndRespectsItsFlushInterval(@TempDir Path directory) {
		FileResumeStore store = new FileResumeStore(directory, Duration.ofHours(1));
		store.save("a", StreamPosition.sequence(1));
		store.save("a", StreamPosition.sequence(2));
		// The first save writes at once; later ones wait for the interval or an explicit
		// flush.
		assertThat(new FileResumeStore(directory, Duration.ZERO).load("a")).isEqualTo(StreamPosition.sequence(1));
		store.flush();
		assertThat(new FileResumeStore(directory, Duration.ZERO).load("a")).isEqualTo(StreamPosition.sequence(2));
		try (var files = Files.list(directory)) {
			assertThat(files.map((file) -> file.getFileName().toString())).containsExactly("a.position");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void tokensAreOfferedBackAndRepeatedTokensDropped() {
		try (ConnectionRuntime runtime = ConnectionRuntime.create(1);
				io.connectionmanager.test.server.TestWebSocketServer server = io.connectionmanager.test.server.TestWebSocketServer
					.start()) {
			server.onOpen((peer) -> {
				peer.sendText("tok-a");
				peer.sendText("tok-a");
				peer.sendText("tok-b");
			});
			java.util.List<String> delivered = new java.util.concurrent.CopyOnWriteArrayList<>();
			ManagedConnection connection = ManagedConnection
				.builder(ConnectionSettings.builder("tokens")
					.url(server.uri("/t").toString())
					.heartbeat(HeartbeatSettings.disabled())
					.resume(ResumeSettings.inMemory(ResumeSettings.Carrier.QUERY_PARAMETER, "resume"))
					.build())
				.runtime(runtime)
				.handler(new ConnectionHandler() {
					@Override
					public StreamPosition positionOf(io.connectionmanager.core.transport.Message message) {
						return StreamPosition
							.token(((io.connectionmanager.core.transport.Message.Text) message).text());
					}

					@Override
					public void onMessage(io.connectionmanager.core.transport.Message message) {
						delivered.add(((io.connectionmanager.core.transport.Message.Text) message).text());
					}
				})
				.build();
			connection.connect();
			await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 2);
			assertThat(delivered).containsExactly("tok-a", "tok-b");
			assertThat(connection.snapshot().duplicatesDropped()).isEqualTo(1);
			connection.reconnect();
			await().atMost(Duration.ofSeconds(5)).until(() -> server.handshakeCount() == 2);
			assertThat(server.handshakes().get(1).uri()).endsWith("?resume=tok-b");
			connection.close();
		}
	}

}
