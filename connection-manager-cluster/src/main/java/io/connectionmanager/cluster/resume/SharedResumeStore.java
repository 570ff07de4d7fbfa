package io.connectionmanager.cluster.resume;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.connectionmanager.core.resume.ResumeStore;
import io.connectionmanager.core.resume.StreamPosition;
import io.netty.util.internal.ThreadExecutorMap;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * A resume store that every replica reads and writes, so that the replica taking an
 * exclusive connection over resumes where the previous holder stopped. Subclasses only
 * read and write one position; this class decides when.
 * <p>
 * <b>Flush policy.</b> With a zero flush interval (write-through) the position is written
 * on the thread that handled the message, before the next message is handled: after a
 * crash at most the one message being handled is delivered again. (Called on an event
 * loop, where nothing may block, it is handed to the writer instead.) With an interval,
 * positions are coalesced and the newest is written at most once per interval by the
 * store's writer thread: after a crash at most one interval's messages are delivered
 * again. Disconnect and close flush at once.
 * <p>
 * <b>Failures</b> never reach the connection: the first is logged as a warning, the
 * position is kept and written again at most once per second (or per interval) until the
 * store answers. {@link #load} returns {@code null} ("start fresh") when the store cannot
 * be read.
 */
public abstract class SharedResumeStore implements ResumeStore {

	private static final Log logger = LogFactory.getLog(SharedResumeStore.class);

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

	private static final long MIN_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final Duration flushInterval;

	private final boolean writeThrough;

	private final ScheduledThreadPoolExecutor writer;

	private final Map<String, Slot> slots = new ConcurrentHashMap<>();

	private final AtomicBoolean drainScheduled = new AtomicBoolean();

	private final AtomicBoolean failing = new AtomicBoolean();

	/**
	 * @param kind names the writer thread
	 * @param flushInterval zero writes through; otherwise the least time between two
	 * writes of a connection's position
	 */
	protected SharedResumeStore(String kind, Duration flushInterval) {
		this.flushInterval = flushInterval;
		this.writeThrough = flushInterval.isZero();
		CustomizableThreadFactory threads = new CustomizableThreadFactory("connection-manager-resume-" + kind + "-");
		threads.setDaemon(true);
		this.writer = new ScheduledThreadPoolExecutor(1, threads);
	}

	/** Reads the stored position's text ({@link StreamPosition#asString()}), or null. */
	protected abstract String read(String connection);

	/** Writes the position's text; throws when the store cannot be written. */
	protected abstract void write(String connection, String position);

	@Override
	public StreamPosition load(String connection) {
		String text;
		try {
			text = read(connection);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not read the resume position of '" + connection + "'; starting fresh: " + ex);
			return null;
		}
		if (text == null) {
			return null;
		}
		try {
			return StreamPosition.parse(text);
		}
		catch (RuntimeException ex) {
			logger.warn("Ignoring an unreadable resume position of '" + connection + "' (" + text + ")");
			return null;
		}
	}

	@Override
	public void save(String connection, StreamPosition position) {
		Slot slot = this.slots.computeIfAbsent(connection, (name) -> new Slot());
		slot.set(position);
		if (this.writeThrough && ThreadExecutorMap.currentExecutor() == null) {
			if (!writeSlot(connection, slot)) {
				scheduleDrain(retryNanos());
			}
		}
		else {
			scheduleDrain(this.writeThrough ? 0 : this.flushInterval.toNanos());
		}
	}

	@Override
	public void flush() {
		flushAsync();
	}

	@Override
	public CompletableFuture<Void> flushAsync() {
		try {
			return CompletableFuture.runAsync(this::drain, this.writer).exceptionally((error) -> null);
		}
		catch (RejectedExecutionException ex) {
			// Closed already (the context is going down): one last write off the caller.
			return CompletableFuture.runAsync(this::drain).exceptionally((error) -> null);
		}
	}

	@Override
	public void close() {
		try {
			flushAsync().get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException | ExecutionException ex) {
			logger.warn("Resume positions not written within " + CLOSE_TIMEOUT);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.writer.shutdownNow();
		}
	}

	private void scheduleDrain(long delayNanos) {
		if (this.drainScheduled.compareAndSet(false, true)) {
			try {
				this.writer.schedule(() -> {
					this.drainScheduled.set(false);
					drain();
				}, delayNanos, TimeUnit.NANOSECONDS);
			}
			catch (RejectedExecutionException ex) {
				this.drainScheduled.set(false);
				flushAsync();
			}
		}
	}

	/** On the writer: writes every pending position; retries later what failed. */
	private void drain() {
		boolean failed = false;
		for (Map.Entry<String, Slot> entry : this.slots.entrySet()) {
			failed |= !writeSlot(entry.getKey(), entry.getValue());
		}
		if (failed) {
			scheduleDrain(retryNanos());
		}
	}

	private long retryNanos() {
		return Math.max(MIN_RETRY_NANOS, this.flushInterval.toNanos());
	}

	/** Writes the slot's newest position if it is not written yet; false on failure. */
	private boolean writeSlot(String connection, Slot slot) {
		synchronized (slot.io) {
			Slot.Pending pending = slot.pending();
			if (pending == null) {
				return true;
			}
			try {
				write(connection, pending.position().asString());
			}
			catch (RuntimeException ex) {
				if (this.failing.compareAndSet(false, true)) {
					logger.warn("Could not write resume positions; keeping them and retrying: " + ex);
				}
				return false;
			}
			slot.written(pending.version());
			if (this.failing.compareAndSet(true, false)) {
				logger.info("Resume positions written again");
			}
			return true;
		}
	}

	/**
	 * One connection's newest position and whether it is written. Its state lock is never
	 * held during I/O ({@code io} is), so a save on an event loop never waits for a
	 * write.
	 */
	private static final class Slot {

		final Object io = new Object();

		private StreamPosition position;

		private long version;

		private long writtenVersion;

		synchronized void set(StreamPosition position) {
			this.position = position;
			this.version++;
		}

		synchronized Pending pending() {
			return (this.version != this.writtenVersion) ? new Pending(this.position, this.version) : null;
		}

		synchronized void written(long version) {
			this.writtenVersion = Math.max(this.writtenVersion, version);
		}

		record Pending(StreamPosition position, long version) {

		}

	}

}
