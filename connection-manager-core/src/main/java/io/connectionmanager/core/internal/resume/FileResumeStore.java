package io.connectionmanager.core.internal.resume;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.connectionmanager.core.resume.ResumeStore;
import io.connectionmanager.core.resume.StreamPosition;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Positions in one small file per connection ({@code <directory>/<name>.position}, the
 * name encoded by {@link ResumeFileNames}), so that a restarted application resumes where
 * the last one stopped.
 * <p>
 * <b>No file I/O on the caller's thread.</b> {@link #save} and {@link #flush} only record
 * the newest position and hand the write to a background writer: by default one daemon
 * thread ({@code connection-manager-resume-writer}) shared by every file store of the
 * process, so they may be called from an event loop. {@link #load} reads on that writer
 * too and waits for it, so it sees every write requested before it (it is called once,
 * when a connection is built, never on an event loop).
 * <p>
 * <b>Flush policy.</b> A write replaces the file atomically (temporary file, then
 * rename), so a crash leaves the old or the new position, never a torn one. While
 * messages flow, a connection's position is written at most once per
 * {@code flushInterval}: the first position after a quiet interval at once, later ones
 * coalesced into one write of the newest at the end of the interval (so a stream that
 * stops is still saved within one interval). A zero interval requests a write after every
 * message; positions arriving while the writer is busy are coalesced, only the newest is
 * written. {@link #flush} (disconnect) writes every pending position promptly;
 * {@link #flushAsync} does the same and tells when it is done, for callers that may wait
 * (close).
 * <p>
 * What survives a crash and how a failing disk or a corrupt file is handled: see
 * {@link PositionFiles}.
 */
public final class FileResumeStore implements ResumeStore {

	private static final Log logger = LogFactory.getLog(FileResumeStore.class);

	private static final long MIN_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

	private final Path directory;

	private final long intervalNanos;

	private final long retryNanos;

	private final PositionFiles files;

	private final ScheduledExecutorService writer;

	/** Guarded by {@code this}; never held during I/O. */
	private final Map<String, PendingPosition> entries = new HashMap<>();

	/** One file operation of this store at a time, so an older write never wins. */
	private final Object io = new Object();

	/**
	 * A store without fsync on the shared writer thread.
	 * @param directory where the position files live (created when missing)
	 * @param flushInterval the least time between two writes of a connection's position
	 * while messages flow; zero requests a write after every message
	 */
	public FileResumeStore(Path directory, Duration flushInterval) {
		this(directory, flushInterval, false);
	}

	/**
	 * A store on the shared writer thread.
	 * @param directory where the position files live (created when missing)
	 * @param flushInterval the least time between two writes of a connection's position
	 * while messages flow; zero requests a write after every message
	 * @param fsync whether each write is forced to the disk (survives a power loss)
	 */
	public FileResumeStore(Path directory, Duration flushInterval, boolean fsync) {
		this(directory, flushInterval, fsync, SharedResumeWriter.EXECUTOR);
	}

	/**
	 * A store whose file I/O runs on the given executor (owned by the caller, who shuts
	 * it down after {@link #close()}).
	 * @param directory where the position files live (created when missing)
	 * @param flushInterval the least time between two writes of a connection's position
	 * while messages flow; zero requests a write after every message
	 * @param fsync whether each write is forced to the disk (survives a power loss)
	 * @param writer runs every read and write of this store
	 */
	public FileResumeStore(Path directory, Duration flushInterval, boolean fsync, ScheduledExecutorService writer) {
		this.directory = directory;
		this.intervalNanos = flushInterval.toNanos();
		this.retryNanos = Math.max(this.intervalNanos, MIN_RETRY_NANOS);
		this.files = new PositionFiles(directory, fsync);
		this.writer = writer;
	}

	@Override
	public StreamPosition load(String connection) {
		synchronized (this) {
			PendingPosition entry = this.entries.get(connection);
			if (entry != null && entry.pending != null) {
				return entry.pending;
			}
		}
		try {
			return CompletableFuture.supplyAsync(() -> read(connection), this.writer).join();
		}
		catch (RejectedExecutionException ex) {
			// The writer was shut down: read here rather than lose the position.
			return read(connection);
		}
	}

	@Override
	public void save(String connection, StreamPosition position) {
		long delay;
		StreamPosition leading;
		long version;
		synchronized (this) {
			PendingPosition entry = entry(connection);
			entry.pending = position;
			version = ++entry.pendingVersion;
			if (entry.scheduled) {
				return;
			}
			entry.scheduled = true;
			delay = Math.max(0, entry.notBefore - System.nanoTime());
			// A write due now takes this position; later ones wait for the interval's
			// end.
			leading = (delay == 0) ? position : null;
		}
		schedule(new Write(connection, leading, version), delay);
	}

	/** Requests a prompt write of every pending position, without waiting for it. */
	@Override
	public void flush() {
		flushAsync();
	}

	/**
	 * Writes every pending position promptly. The future completes once they are written
	 * (or the write failed, which is logged as described above); it never completes
	 * exceptionally.
	 */
	@Override
	public CompletableFuture<Void> flushAsync() {
		CompletableFuture<Void> done = new CompletableFuture<>();
		try {
			this.writer.execute(() -> {
				try {
					for (String connection : connections()) {
						writeNewest(connection);
					}
				}
				finally {
					done.complete(null);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			logger.warn("Resume store " + this.directory + " cannot flush: its writer was shut down");
			done.complete(null);
		}
		return done;
	}

	/**
	 * Flushes and waits for the write (at most 10 s). Blocks: never call it on an event
	 * loop. The shared writer thread stays (it is a daemon).
	 */
	@Override
	public void close() {
		try {
			flushAsync().get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.warn("Resume store " + this.directory + " did not finish writing within " + CLOSE_TIMEOUT);
		}
	}

	/** The file of a connection. */
	public Path fileOf(String connection) {
		return this.files.fileOf(connection);
	}

	private void schedule(Write write, long delayNanos) {
		try {
			this.writer.schedule(write, delayNanos, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			synchronized (this) {
				entry(write.connection).scheduled = false;
			}
			logger.debug("Resume store " + this.directory + " is closed; position of '" + write.connection
					+ "' kept in memory only");
		}
	}

	/** A scheduled write: of {@code leading} if given, else of the newest position. */
	private final class Write implements Runnable {

		final String connection;

		final StreamPosition leading;

		final long version;

		Write(String connection, StreamPosition leading, long version) {
			this.connection = connection;
			this.leading = leading;
			this.version = version;
		}

		@Override
		public void run() {
			synchronized (FileResumeStore.this) {
				PendingPosition entry = entry(this.connection);
				long wait = entry.notBefore - System.nanoTime();
				if (wait > 0) {
					// A flush wrote in between: keep the interval from that write.
					schedule(new Write(this.connection, null, 0), wait);
					return;
				}
				entry.scheduled = false;
			}
			if (this.leading != null) {
				write(this.connection, this.leading, this.version);
			}
			else {
				writeNewest(this.connection);
			}
		}

	}

	private void writeNewest(String connection) {
		StreamPosition position;
		long version;
		synchronized (this) {
			PendingPosition entry = entry(connection);
			position = entry.pending;
			version = entry.pendingVersion;
		}
		write(connection, position, version);
	}

	/**
	 * On the writer: writes unless something as new is already on disk, then makes sure
	 * that newer positions (or this one, if it failed) get a write of their own.
	 */
	private void write(String connection, StreamPosition position, long version) {
		synchronized (this.io) {
			boolean attempt;
			synchronized (this) {
				PendingPosition entry = entry(connection);
				attempt = position != null && version > entry.writtenVersion;
				if (attempt) {
					entry.notBefore = System.nanoTime() + this.intervalNanos;
				}
			}
			if (attempt) {
				boolean written = this.files.write(connection, position);
				synchronized (this) {
					PendingPosition entry = entry(connection);
					if (written) {
						entry.writtenVersion = Math.max(entry.writtenVersion, version);
					}
					else {
						entry.notBefore = System.nanoTime() + this.retryNanos;
					}
				}
			}
			scheduleRemaining(connection);
		}
	}

	/** Newer positions are written at the interval's end even if no message follows. */
	private void scheduleRemaining(String connection) {
		long delay;
		synchronized (this) {
			PendingPosition entry = entry(connection);
			if (entry.scheduled || entry.pendingVersion <= entry.writtenVersion) {
				return;
			}
			entry.scheduled = true;
			delay = Math.max(0, entry.notBefore - System.nanoTime());
		}
		schedule(new Write(connection, null, 0), delay);
	}

	/** On the writer. */
	private StreamPosition read(String connection) {
		synchronized (this.io) {
			return this.files.read(connection);
		}
	}

	private synchronized List<String> connections() {
		return new ArrayList<>(this.entries.keySet());
	}

	private PendingPosition entry(String connection) {
		return this.entries.computeIfAbsent(connection, (name) -> new PendingPosition());
	}

}
