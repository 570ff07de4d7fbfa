package io.connectionmanager.core.config;

/** How messages are delimited on a raw {@code tcp://} or {@code tls://} stream. */
public enum Framing {

	/**
	 * One message per line, terminated by {@code \n} (an optional {@code \r} before it is
	 * dropped).
	 */
	LINES,

	/** A 4-byte big-endian length, then that many bytes. */
	LENGTH_PREFIXED

}
