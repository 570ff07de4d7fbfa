package io.connectionmanager.core.internal.resume;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a small file atomically: write a temporary file in the same directory, then
 * rename it over the target, so a reader (or a restart after a crash) sees the old or the
 * new content, never a torn one. A failed write deletes its temporary file.
 * <p>
 * Without {@code fsync} the content is in the operating system's cache when
 * {@link #write} returns: it survives a crash of the process, not a power loss or kernel
 * crash. With {@code fsync} the content is forced to the disk before the rename and the
 * directory entry after it (where the platform can sync a directory), so it also survives
 * a power loss.
 */
final class AtomicFileWriter {

	private final boolean fsync;

	AtomicFileWriter(boolean fsync) {
		this.fsync = fsync;
	}

	void write(Path file, byte[] content) throws IOException {
		Path directory = file.getParent();
		Path temporary = createTemporary(directory, file.getFileName().toString());
		try {
			try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
				ByteBuffer buffer = ByteBuffer.wrap(content);
				while (buffer.hasRemaining()) {
					channel.write(buffer);
				}
				if (this.fsync) {
					channel.force(true);
				}
			}
			try {
				Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (AtomicMoveNotSupportedException ex) {
				Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
			}
		}
		catch (IOException | RuntimeException ex) {
			deleteQuietly(temporary, ex);
			throw ex;
		}
		if (this.fsync) {
			forceDirectory(directory);
		}
	}

	private static Path createTemporary(Path directory, String target) throws IOException {
		// A short prefix keeps the name within limits; the target's start helps a reader.
		String prefix = target.substring(0, Math.min(target.length(), 32)) + "-";
		try {
			return Files.createTempFile(directory, prefix, ".tmp");
		}
		catch (NoSuchFileException ex) {
			// First write, or the directory was deleted: (re)create it.
			Files.createDirectories(directory);
			return Files.createTempFile(directory, prefix, ".tmp");
		}
	}

	/**
	 * Makes the rename durable. Linux and macOS can sync a directory; Windows cannot open
	 * one as a channel, and there the rename is as durable as the platform makes it.
	 */
	private static void forceDirectory(Path directory) {
		try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
		catch (IOException ex) {
			// Not supported on this platform: nothing more can be done.
		}
	}

	private static void deleteQuietly(Path temporary, Exception cause) {
		try {
			Files.deleteIfExists(temporary);
		}
		catch (IOException ex) {
			cause.addSuppressed(ex);
		}
	}

}
