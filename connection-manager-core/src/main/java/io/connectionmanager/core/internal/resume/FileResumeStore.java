package io.connectionmanager.core.internal.resume;

import io.connectionmanager.core.resume.ResumeStore;
import io.connectionmanager.core.resume.StreamPosition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Positions in one small file per connection ({@code <directory>/<name>.position}), so
 * that a restarted application resumes where the last one stopped.
 * <p>
 * Flush policy: a write replaces the file atomically (write a temporary file, then rename
 * over the old one), so a crash leaves either the old or the new position, never a torn
 * one. While messages flow, a position is written at most once per {@code flushInterval};
 * {@link #flush()} (called on disconnect and close) writes the latest. After an orderly
 * shutdown the next run resumes exactly; after a crash, at most the messages of the last
 * interval are delivered again. A zero interval writes after every message. A corrupt or
 * unreadable file is logged as a warning, moved aside, and treated as "no position": the
 * connection starts fresh instead of failing in a loop.
 */
public final class FileResumeStore implements ResumeStore {

	private static final Log logger = LogFactory.getLog(FileResumeStore.class);

	private final Path directory;

	private final long flushIntervalNanos;

	private final Map<String, Entry> entries = new HashMap<>();

	public FileResumeStore(Path directory, Duration flushInterval) {
		this.directory = directory;
		this.flushIntervalNanos = flushInterval.toNanos();
	}

	@Override
	public synchronized StreamPosition load(String connection) {
		Path file = fileOf(connection);
		if (!Files.exists(file)) {
			return null;
		}
		String content = null;
		try {
			content = Files.readString(file, StandardCharsets.UTF_8).trim();
			StreamPosition position = StreamPosition.parse(content);
			entry(connection).written = position;
			return position;
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Resume position of connection '" + connection + "' in " + file + " is unreadable ("
					+ ex.getMessage() + "); starting without a position. The file was moved to " + file + ".corrupt");
			moveAside(file);
			return null;
		}
	}

	@Override
	public synchronized void save(String connection, StreamPosition position) {
		Entry entry = entry(connection);
		entry.pending = position;
		long now = System.nanoTime();
		if (this.flushIntervalNanos == 0 || now - entry.lastWriteNanos >= this.flushIntervalNanos) {
			write(connection, entry, now);
		}
	}

	@Override
	public synchronized void flush() {
		long now = System.nanoTime();
		this.entries.forEach((connection, entry) -> write(connection, entry, now));
	}

	private void write(String connection, Entry entry, long now) {
		StreamPosition position = entry.pending;
		if (position == null || position.equals(entry.written)) {
			return;
		}
		Path file = fileOf(connection);
		try {
			Files.createDirectories(this.directory);
			Path temporary = Files.createTempFile(this.directory, connection + "-", ".tmp");
			Files.writeString(temporary, position.asString() + "\n", StandardCharsets.UTF_8);
			try {
				Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (AtomicMoveNotSupportedException ex) {
				Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
			}
			entry.written = position;
			entry.lastWriteNanos = now;
		}
		catch (IOException ex) {
			logger.warn("Could not save the resume position of connection '" + connection + "' to " + file + ": "
					+ ex.getMessage());
		}
	}

	private Entry entry(String connection) {
		return this.entries.computeIfAbsent(connection, (name) -> new Entry());
	}

	/**
	 * The file of a connection; names are sanitised so that no name can escape the
	 * directory.
	 */
	Path fileOf(String connection) {
		return this.directory.resolve(connection.replaceAll("[^A-Za-z0-9._-]", "_") + ".position");
	}

	private static void moveAside(Path file) {
		try {
			Files.move(file, file.resolveSibling(file.getFileName() + ".corrupt"), StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			logger.warn("Could not move aside " + file + ": " + ex.getMessage());
		}
	}

	private static final class Entry {

		StreamPosition pending;

		StreamPosition written;

		long lastWriteNanos = Long.MIN_VALUE / 2;

	}

}
