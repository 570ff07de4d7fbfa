package io.connectionmanager.core.internal.resume;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import io.connectionmanager.core.resume.StreamPosition;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The position files of a {@link FileResumeStore}: one per connection, written
 * atomically, a failing disk reported through {@link StoreHealth}, a corrupt file moved
 * aside. Callers serialise the operations (the store's writer).
 * <p>
 * <b>What survives.</b> Without {@code fsync}, a written position survives a crash of the
 * process (the operating system holds the data); with {@code fsync}, the file is forced
 * to the disk before the rename and the directory after it, so it also survives a power
 * loss or kernel crash, at the cost of a disk flush per write.
 * <p>
 * <b>A failing disk</b> (directory deleted or replaced, full disk, read-only file system)
 * never reaches the connection: the first failure is one WARN for the directory, later
 * ones are silent until a write succeeds again (one INFO, "writable again"); failed
 * writes leave no temporary file, keep the position in memory and are retried at most
 * once per second (or per interval, if longer) per connection. A missing directory is
 * created. A corrupt or unreadable file is logged as a warning, moved aside
 * ({@code .corrupt}), and treated as "no position": the connection starts fresh instead
 * of failing in a loop.
 */
final class PositionFiles {

	private static final Log logger = LogFactory.getLog(FileResumeStore.class);

	private final Path directory;

	private final AtomicFileWriter files;

	private final StoreHealth health;

	PositionFiles(Path directory, boolean fsync) {
		this.directory = directory;
		this.files = new AtomicFileWriter(fsync);
		this.health = StoreHealth.of(directory);
	}

	Path fileOf(String connection) {
		return this.directory.resolve(ResumeFileNames.encode(connection) + ".position");
	}

	/** Whether the position was written; a failure is logged by {@link StoreHealth}. */
	boolean write(String connection, StreamPosition position) {
		try {
			this.files.write(fileOf(connection), (position.asString() + "\n").getBytes(StandardCharsets.UTF_8));
			this.health.succeeded();
			return true;
		}
		catch (IOException | RuntimeException ex) {
			this.health.failed(connection, ex);
			return false;
		}
	}

	/** The stored position, or {@code null} if there is none or it is unreadable. */
	StreamPosition read(String connection) {
		Path file = fileOf(connection);
		if (!Files.exists(file)) {
			return null;
		}
		try {
			return StreamPosition.parse(Files.readString(file, StandardCharsets.UTF_8).trim());
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Resume position of connection '" + connection + "' in " + file + " is unreadable ("
					+ ex.getMessage() + "); starting without a position. The file was moved to " + file + ".corrupt");
			moveAside(file);
			return null;
		}
	}

	private static void moveAside(Path file) {
		try {
			Files.move(file, file.resolveSibling(file.getFileName() + ".corrupt"), StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			logger.warn("Could not move aside " + file + ": " + ex.getMessage());
		}
	}

}
