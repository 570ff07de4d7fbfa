package io.connectionmanager.core.resume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.connectionmanager.core.internal.resume.FileResumeStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The file resume store writes on its own thread: callers (event loops) only record the
 * newest position; writes are coalesced, paced by the flush interval, and flushed on
 * request.
 */
class FileResumeStoreTests {

	private final TestWriter writer = new TestWriter();

	@TempDir
	Path directory;

	@AfterEach
	void stopWriter() {
		this.writer.release();
		this.writer.shutdownNow();
	}

	@Test
	void saveAndFlushReturnWhileTheWriterIsBlockedAndTheCallerWritesNothing() throws Exception {
		FileResumeStore store = new FileResumeStore(this.directory, Duration.ZERO, false, this.writer);
		this.writer.block();
		store.save("stream", StreamPosition.sequence(1));
		store.flush();
		CompletableFuture<Void> flushed = store.flushAsync();
		// The caller came back without touching the disk: nothing exists until the writer
		// runs.
		assertThat(flushed).isNotDone();
		assertThat(files()).isEmpty();
		this.writer.release();
		flushed.get(10, TimeUnit.SECONDS);
		assertThat(content("stream.position")).isEqualTo("seq:1");
	}

	@Test
	void loadWaitsForWritesRequestedBeforeIt() throws Exception {
		FileResumeStore store = new FileResumeStore(this.directory, Duration.ZERO, false, this.writer);
		FileResumeStore nextRun = new FileResumeStore(this.directory, Duration.ZERO, false, this.writer);
		this.writer.block();
		store.save("stream", StreamPosition.sequence(7));
		CompletableFuture<StreamPosition> loaded = CompletableFuture.supplyAsync(() -> nextRun.load("stream"));
		assertThat(files()).isEmpty();
		this.writer.release();
		assertThat(loaded.get(10, TimeUnit.SECONDS)).isEqualTo(StreamPosition.sequence(7));
	}

	@Test
	void positionsSavedWhileTheWriterIsBusyAreCoalescedIntoOneWrite() throws Exception {
		FileResumeStore store = new FileResumeStore(this.directory, Duration.ZERO, false, this.writer);
		this.writer.block();
		for (int i = 1; i <= 1000; i++) {
			store.save("stream", StreamPosition.sequence(i));
			store.save("other", StreamPosition.sequence(-i));
		}
		// 2,000 saves queued one write per connection, not one per message.
		assertThat(this.writer.getQueue()).hasSize(2);
		this.writer.release();
		this.writer.drain();
		assertThat(content("stream.position")).isEqualTo("seq:1000");
		assertThat(content("other.position")).isEqualTo("seq:-1000");
		assertThat(this.writer.getQueue()).isEmpty();
		assertThat(this.writer.getCompletedTaskCount()).isLessThanOrEqualTo(1 + 2 * 2 + 2);
	}

	@Test
	void withinTheIntervalOnlyTheFirstPositionIsWrittenUntilAFlush() throws Exception {
		FileResumeStore store = new FileResumeStore(this.directory, Duration.ofHours(1), false, this.writer);
		store.save("stream", StreamPosition.sequence(1));
		store.save("stream", StreamPosition.sequence(2));
		store.save("stream", StreamPosition.sequence(3));
		this.writer.drain();
		assertThat(content("stream.position")).isEqualTo("seq:1");
		store.flushAsync().get(10, TimeUnit.SECONDS);
		assertThat(content("stream.position")).isEqualTo("seq:3");
		assertThat(files()).containsExactly("stream.position");
	}

	@Test
	void aStreamThatStopsIsSavedAtTheEndOfTheIntervalWithoutAFlush() {
		FileResumeStore store = new FileResumeStore(this.directory, Duration.ofMillis(50), false, this.writer);
		for (int i = 1; i <= 100; i++) {
			store.save("stream", StreamPosition.sequence(i));
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> "seq:100".equals(contentOrNull("stream.position")));
	}

	@Test
	void closeWritesWhatIsPendingAndANewStoreResumesFromIt() {
		FileResumeStore store = new FileResumeStore(this.directory, Duration.ofHours(1));
		store.save("stream", StreamPosition.sequence(1));
		store.save("stream", StreamPosition.token("after-1"));
		store.close();
		assertThat(new FileResumeStore(this.directory, Duration.ZERO).load("stream"))
			.isEqualTo(StreamPosition.token("after-1"));
	}

	@Test
	void theDefaultWriterIsOneSharedDaemonThread() throws Exception {
		FileResumeStore first = new FileResumeStore(this.directory.resolve("a"), Duration.ZERO);
		FileResumeStore second = new FileResumeStore(this.directory.resolve("b"), Duration.ZERO, true);
		first.save("stream", StreamPosition.sequence(1));
		second.save("stream", StreamPosition.sequence(2));
		first.flushAsync().get(10, TimeUnit.SECONDS);
		second.flushAsync().get(10, TimeUnit.SECONDS);
		List<Thread> writers = Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().equals("connection-manager-resume-writer"))
			.toList();
		assertThat(writers).hasSize(1);
		assertThat(writers.get(0).isDaemon()).isTrue();
		assertThat(writers.get(0)).isNotSameAs(Thread.currentThread());
	}

	@Test
	void withFsyncEveryWriteLandsAndLeavesNoTemporaryFile() throws Exception {
		FileResumeStore store = new FileResumeStore(this.directory, Duration.ZERO, true, this.writer);
		for (int i = 1; i <= 50; i++) {
			store.save("stream", StreamPosition.sequence(i));
			this.writer.drain();
			assertThat(content("stream.position")).isEqualTo("seq:" + i);
		}
		assertThat(files()).containsExactly("stream.position");
		assertThat(new FileResumeStore(this.directory, Duration.ZERO, true).load("stream"))
			.isEqualTo(StreamPosition.sequence(50));
	}

	@Test
	void aCorruptFileIsMovedAsideAndTheConnectionStartsFresh() throws Exception {
		FileResumeStore store = new FileResumeStore(this.directory, Duration.ZERO, false, this.writer);
		Path file = store.fileOf("a/b");
		Files.writeString(file, "seq:12x");
		assertThat(store.load("a/b")).isNull();
		assertThat(files()).containsExactly("a%2Fb.position.corrupt");
		store.save("a/b", StreamPosition.sequence(13));
		store.flushAsync().get(10, TimeUnit.SECONDS);
		assertThat(new FileResumeStore(this.directory, Duration.ZERO).load("a/b"))
			.isEqualTo(StreamPosition.sequence(13));
	}

	private List<String> files() throws IOException {
		try (Stream<Path> files = Files.list(this.directory)) {
			return files.map((file) -> file.getFileName().toString()).sorted().toList();
		}
	}

	private String content(String file) throws IOException {
		return Files.readString(this.directory.resolve(file)).trim();
	}

	private String contentOrNull(String file) throws IOException {
		Path path = this.directory.resolve(file);
		return Files.exists(path) ? Files.readString(path).trim() : null;
	}

}
