package io.connectionmanager.core.resume;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/**
 * Captures what the file resume store logs (commons-logging reaches Logback through SLF4J
 * in tests), at INFO and above, in memory only.
 */
final class ResumeLogs implements AutoCloseable {

	private static final String RESUME_PACKAGE = "io.connectionmanager.core.internal.resume";

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private final Logger logger = (Logger) LoggerFactory.getLogger(RESUME_PACKAGE);

	private final Level level = this.logger.getLevel();

	private final boolean additive = this.logger.isAdditive();

	ResumeLogs() {
		this.appender.start();
		this.logger.setLevel(Level.INFO);
		this.logger.setAdditive(false);
		this.logger.addAppender(this.appender);
	}

	List<String> at(Level level) {
		return List.copyOf(this.appender.list)
			.stream()
			.filter((event) -> event.getLevel() == level)
			.map(ILoggingEvent::getFormattedMessage)
			.toList();
	}

	/** Whether any event carries a stack trace. */
	boolean anyStackTrace() {
		return List.copyOf(this.appender.list).stream().anyMatch((event) -> event.getThrowableProxy() != null);
	}

	@Override
	public void close() {
		this.logger.detachAppender(this.appender);
		this.logger.setLevel(this.level);
		this.logger.setAdditive(this.additive);
		this.appender.stop();
	}

}
