package io.connectionmanager.core.resume;

import java.util.concurrent.CompletableFuture;

/**
 * Where the last delivered position of each connection is kept between connections (and,
 * for a durable store, between application runs). Implementations must be thread-safe; a
 * store may be shared by many connections.
 * <p>
 * {@link #save} and {@link #flush} may be called on a connection's event loop: they must
 * not block or do I/O there. A durable store records the position and hands the write to
 * a thread of its own; a failing disk is its business (log, retry), never an exception
 * thrown into the connection.
 */
public interface ResumeStore extends AutoCloseable {

	/**
	 * The last saved position, or {@code null} for none (first run, or an unreadable
	 * record). Never throws. Called when a connection is built, off the event loops: it
	 * may read a file and wait for writes requested before it.
	 */
	StreamPosition load(String connection);

	/**
	 * Records a delivered position; a durable store may defer the write (see its flush
	 * policy). Must not block: it may be called on an event loop.
	 */
	void save(String connection, StreamPosition position);

	/**
	 * Writes whatever is deferred, promptly; does not wait for the write (may be called
	 * on an event loop).
	 */
	default void flush() {
	}

	/**
	 * Like {@link #flush()}, with a future that completes once the deferred positions are
	 * written (or their write failed and was logged); it does not complete exceptionally.
	 * For callers that may wait, such as a connection's close. The default flushes and
	 * returns a completed future.
	 * @return completes when the flush is done
	 */
	default CompletableFuture<Void> flushAsync() {
		flush();
		return CompletableFuture.completedFuture(null);
	}

	/** Writes whatever is deferred and waits for it: never call it on an event loop. */
	@Override
	default void close() {
		flushAsync().join();
	}

}
