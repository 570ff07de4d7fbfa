package io.connectionmanager.core.resume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import io.connectionmanager.core.internal.resume.FileResumeStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;

/**
 * A failing disk is one warning per outage, never an exception into the caller, and
 * leaves no temporary files. Tests run as root, where permission bits do not stop writes:
 * the disk is made to fail by putting a regular file where the directory (or the target
 * file) should be.
 */
class FileResumeStoreOutageTests {

	private final TestWriter writer = new TestWriter();

	private final TestWriter otherWriter = new TestWriter();

	private final ResumeLogs logs = new ResumeLogs();

	@TempDir
	Path root;

	@AfterEach
	void cleanUp() {
		this.logs.close();
		// Failed positions are retried until written: stop before the directory goes.
		this.writer.shutdownNow();
		this.otherWriter.shutdownNow();
	}

	@Test
	void anOutageIsOneWarningAndItsEndOneInfo() throws Exception {
		Path directory = this.root.resolve("positions");
		FileResumeStore store = new FileResumeStore(directory, Duration.ZERO, false, this.writer);
		for (int outage = 1; outage <= 2; outage++) {
			breakDirectory(directory);
			for (int i = 1; i <= 200; i++) {
				int position = outage * 1000 + i;
				assertThatNoException().isThrownBy(() -> {
					store.save("stream", StreamPosition.sequence(position));
					store.save("other", StreamPosition.sequence(position));
				});
			}
			store.flushAsync().get(10, TimeUnit.SECONDS);
			store.flushAsync().get(10, TimeUnit.SECONDS);
			assertThat(this.logs.at(Level.WARN)).hasSize(outage);
			assertThat(this.logs.at(Level.WARN).get(outage - 1)).contains(directory.toString(), "cannot be written");
			assertThat(allFiles()).containsExactly("positions");

			Files.delete(directory);
			store.save("stream", StreamPosition.sequence(outage * 1000 + 201));
			store.flushAsync().get(10, TimeUnit.SECONDS);
			assertThat(this.logs.at(Level.INFO)).hasSize(outage).allMatch((info) -> info.endsWith("writable again"));
			assertThat(new FileResumeStore(directory, Duration.ZERO).load("stream"))
				.isEqualTo(StreamPosition.sequence(outage * 1000 + 201));
			assertThat(new FileResumeStore(directory, Duration.ZERO).load("other"))
				.isEqualTo(StreamPosition.sequence(outage * 1000 + 200));
		}
		assertThat(this.logs.at(Level.WARN)).hasSize(2);
		assertThat(this.logs.anyStackTrace()).isFalse();
	}

	@Test
	void manyConnectionsAndStoresOnOneBrokenDirectoryLogOneWarning() throws Exception {
		Path directory = this.root.resolve("positions");
		breakDirectory(directory);
		FileResumeStore first = new FileResumeStore(directory, Duration.ZERO, false, this.writer);
		FileResumeStore second = new FileResumeStore(directory, Duration.ZERO, true, this.otherWriter);
		for (int connection = 0; connection < 100; connection++) {
			first.save("first-" + connection, StreamPosition.sequence(connection));
			second.save("second-" + connection, StreamPosition.sequence(connection));
		}
		first.flushAsync().get(10, TimeUnit.SECONDS);
		second.flushAsync().get(10, TimeUnit.SECONDS);
		assertThat(this.logs.at(Level.WARN)).hasSize(1);
		assertThat(allFiles()).containsExactly("positions");
	}

	@Test
	void aFailedRenameDeletesItsTemporaryFile() throws Exception {
		Path directory = this.root.resolve("positions");
		// The target is a non-empty directory: the temporary file is written, the rename
		// fails.
		Files.createDirectories(directory.resolve("stream.position").resolve("occupied"));
		FileResumeStore store = new FileResumeStore(directory, Duration.ZERO, true, this.writer);
		for (int i = 1; i <= 20; i++) {
			store.save("stream", StreamPosition.sequence(i));
			store.flushAsync().get(10, TimeUnit.SECONDS);
		}
		assertThat(this.logs.at(Level.WARN)).hasSize(1);
		assertThat(allFiles()).containsExactly("positions", "positions/stream.position",
				"positions/stream.position/occupied");
	}

	@Test
	void aFailedPositionIsRetriedWithoutFurtherMessages() throws Exception {
		Path directory = this.root.resolve("positions");
		breakDirectory(directory);
		FileResumeStore store = new FileResumeStore(directory, Duration.ZERO, false, this.writer);
		store.save("stream", StreamPosition.sequence(42));
		store.flushAsync().get(10, TimeUnit.SECONDS);
		assertThat(this.logs.at(Level.WARN)).hasSize(1);
		Files.delete(directory);
		await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(directory.resolve("stream.position")));
		assertThat(Files.readString(directory.resolve("stream.position")).trim()).isEqualTo("seq:42");
		assertThat(this.logs.at(Level.INFO)).containsExactly("Resume store " + directory + " writable again");
	}

	/** A regular file where the directory should be: fails for root too. */
	private static void breakDirectory(Path directory) throws IOException {
		FileSystemUtils.deleteRecursively(directory);
		Files.writeString(directory, "not a directory");
	}

	/** Every file and directory under the root, relative to it. */
	private List<String> allFiles() throws IOException {
		try (Stream<Path> files = Files.walk(this.root)) {
			return files.filter((file) -> !file.equals(this.root))
				.map((file) -> this.root.relativize(file).toString())
				.sorted()
				.toList();
		}
	}

}
