package io.connectionmanager.core.resume;

/**
 * Where the last delivered position of each connection is kept between connections (and,
 * for a durable store, between application runs). Implementations must be thread-safe; a
 * store may be shared by many connections.
 */
public interface ResumeStore extends AutoCloseable {

	/**
	 * The last saved position, or {@code null} for none (first run, or an unreadable
	 * record). Never throws.
	 */
	StreamPosition load(String connection);

	/**
	 * Records a delivered position; a durable store may defer the write (see its flush
	 * policy).
	 */
	void save(String connection, StreamPosition position);

	/** Writes whatever is deferred. */
	default void flush() {
	}

	@Override
	default void close() {
		flush();
	}

}
