package io.connectionmanager.core.resume;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.Level;
import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.config.ResumeSettings;
import io.connectionmanager.core.internal.resume.FileResumeStore;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.test.server.SequencedStreamServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An unwritable resume directory never stops a connection: every message is delivered,
 * the connection stays up, the operator reads one warning, and the position is saved once
 * the directory is back.
 */
class ResumeStoreOutageEndToEndTests {

	@Test
	void aConnectionKeepsStreamingWhileItsResumeDirectoryCannotBeWritten(@TempDir Path root) throws Exception {
		long total = 5_000;
		Path directory = root.resolve("positions");
		// A regular file where the directory should be fails for root too.
		Files.writeString(directory, "not a directory");
		TestWriter writer = new TestWriter();
		FileResumeStore store = new FileResumeStore(directory, Duration.ZERO, false, writer);
		ResumeSettings resume = new ResumeSettings(true, ResumeSettings.Store.FILE, directory,
				ResumeSettings.Carrier.QUERY_PARAMETER, "resume-from", Duration.ZERO);
		Counter counter = new Counter();
		try (ResumeLogs logs = new ResumeLogs();
				ConnectionRuntime runtime = ConnectionRuntime.create(1);
				SequencedStreamServer server = SequencedStreamServer.start(total)) {
			ManagedConnection connection = ManagedConnection
				.builder(ConnectionSettings.builder("stream/with:odd*name")
					.url(server.uri("/stream").toString())
					.heartbeat(HeartbeatSettings.disabled())
					.circuitBreaker(CircuitBreakerSettings.disabled())
					.resume(resume)
					.build())
				.runtime(runtime)
				.resumeStore(store)
				.handler(counter)
				.build();
			connection.connect();
			await().atMost(Duration.ofSeconds(30)).until(() -> counter.last.get() == total);
			assertThat(counter.received.get()).isEqualTo(total);
			assertThat(connection.state()).isEqualTo(ConnectionState.CONNECTED);
			assertThat(server.server().handshakeCount()).isEqualTo(1);
			store.flushAsync().join();
			assertThat(logs.at(Level.WARN)).hasSize(1);
			assertThat(logs.anyStackTrace()).isFalse();

			Files.delete(directory);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> StreamPosition.sequence(total)
					.equals(new FileResumeStore(directory, Duration.ZERO).load("stream/with:odd*name")));
			assertThat(logs.at(Level.INFO)).hasSize(1);
			connection.close();
		}
		finally {
			writer.shutdownNow();
		}
	}

	private static final class Counter implements ConnectionHandler {

		final AtomicLong received = new AtomicLong();

		final AtomicLong last = new AtomicLong();

		@Override
		public StreamPosition positionOf(Message message) {
			return StreamPosition.sequence(Long.parseLong(((Message.Text) message).text()));
		}

		@Override
		public void onMessage(Message message) {
			this.last.set(Long.parseLong(((Message.Text) message).text()));
			this.received.incrementAndGet();
		}

	}

}
