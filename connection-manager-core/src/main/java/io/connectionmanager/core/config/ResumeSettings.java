package io.connectionmanager.core.config;

import java.nio.file.Path;
import java.time.Duration;

import io.connectionmanager.core.config.InvalidConnectionSettingException.Reason;

/**
 * Resuming a stream from the last position delivered to the application.
 *
 * @param enabled whether positions are tracked, duplicates dropped and the position
 * offered on reconnect
 * @param store where the position is kept: in memory, or in a file that survives an
 * application restart
 * @param directory the directory for {@link Store#FILE}
 * @param carrier how the position reaches the server on reconnect
 * @param name the query parameter or header name for {@link Carrier#QUERY_PARAMETER} /
 * {@link Carrier#HEADER}
 * @param flushInterval for {@link Store#FILE}: the position is written (atomic replace)
 * at most this often while messages flow, and always on disconnect and close; zero writes
 * after every message. After a crash, at most the messages of one interval are delivered
 * again.
 * @param fsync for {@link Store#FILE}: force the file's content to the disk before the
 * atomic rename. Without it a write survives a crash of the process (the operating system
 * still holds it); with it, it also survives a power loss or kernel crash, at the cost of
 * one disk flush per write.
 */
public record ResumeSettings(boolean enabled, Store store, Path directory, Carrier carrier, String name,
		Duration flushInterval, boolean fsync) {

	/** Default for {@code resume.flush-interval}. */
	public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(200);

	public enum Store {

		MEMORY, FILE

	}

	public enum Carrier {

		/** Appended to the URL, e.g. {@code ?resume-from=1234}. */
		QUERY_PARAMETER,

		/** Sent as a handshake header, e.g. {@code Resume-From: 1234}. */
		HEADER,

		/**
		 * The handler sends it in its authentication step (see
		 * {@code AuthenticationContext#resumePosition}).
		 */
		HANDLER

	}

	public ResumeSettings(boolean enabled, Store store, Path directory, Carrier carrier, String name) {
		this(enabled, store, directory, carrier, name, DEFAULT_FLUSH_INTERVAL, false);
	}

	public ResumeSettings(boolean enabled, Store store, Path directory, Carrier carrier, String name,
			Duration flushInterval) {
		this(enabled, store, directory, carrier, name, flushInterval, false);
	}

	public ResumeSettings {
		if (flushInterval == null || flushInterval.isNegative()) {
			throw new InvalidConnectionSettingException("resume.flush-interval", flushInterval,
					(flushInterval != null) ? Reason.TOO_SMALL : Reason.REQUIRED, "must be zero or positive");
		}
		Settings.atMost("resume.flush-interval", flushInterval, Settings.MAX_DURATION);
		if (enabled) {
			if (store == null) {
				throw Settings.required("resume.store", "is required");
			}
			if (store == Store.FILE && directory == null) {
				throw Settings.required("resume.directory", "is required when resume.store is file");
			}
			if (carrier == null) {
				throw Settings.required("resume.carrier", "is required");
			}
			if (carrier != Carrier.HANDLER && (name == null || name.isBlank())) {
				throw new InvalidConnectionSettingException("resume.name", name, Reason.REQUIRED,
						"is required for carrier " + carrier);
			}
		}
	}

	// A shared instance (settings are immutable).
	private static final ResumeSettings DISABLED = new ResumeSettings(false, Store.MEMORY, null,
			Carrier.QUERY_PARAMETER, "resume-from");

	public static ResumeSettings disabled() {
		return DISABLED;
	}

	public static ResumeSettings inMemory(Carrier carrier, String name) {
		return new ResumeSettings(true, Store.MEMORY, null, carrier, name);
	}

}
