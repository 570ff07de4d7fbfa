package io.connectionmanager.core.internal.resume;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Whether a resume directory can be written, logged once per change: one WARN when it
 * fails (an outage), one INFO when a write succeeds again. Shared by every store of the
 * directory, so a thousand connections losing the same disk log one warning, not a
 * thousand, and never an exception per message.
 */
final class StoreHealth {

	private static final Log logger = LogFactory.getLog(FileResumeStore.class);

	private static final ConcurrentMap<Path, StoreHealth> byDirectory = new ConcurrentHashMap<>();

	private final Path directory;

	private boolean failing;

	private StoreHealth(Path directory) {
		this.directory = directory;
	}

	static StoreHealth of(Path directory) {
		return byDirectory.computeIfAbsent(directory.toAbsolutePath().normalize(), StoreHealth::new);
	}

	synchronized void failed(String connection, Exception cause) {
		if (this.failing) {
			if (logger.isDebugEnabled()) {
				logger.debug("Resume store " + this.directory + " still cannot save connection '" + connection + "': "
						+ describe(cause));
			}
			return;
		}
		this.failing = true;
		logger
			.warn("Resume store " + this.directory + " cannot be written (" + describe(cause) + ", saving connection '"
					+ connection + "'). Connections keep running; their positions are kept in memory and written when "
					+ "the directory is writable again. Further failures are not logged until then.");
	}

	synchronized void succeeded() {
		if (this.failing) {
			this.failing = false;
			logger.info("Resume store " + this.directory + " writable again");
		}
	}

	synchronized boolean failing() {
		return this.failing;
	}

	private static String describe(Exception cause) {
		return cause.getClass().getSimpleName() + ": " + cause.getMessage();
	}

}
