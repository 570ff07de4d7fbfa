package io.connectionmanager.reliability.support;

import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/**
 * Captures every event of the given loggers at DEBUG into memory (and only there, so the
 * console stays quiet), rendering each with its arguments, MDC and full throwable chain:
 * everything a log file could ever contain.
 */
public final class LogCapture implements AutoCloseable {

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private final List<Saved> saved = new ArrayList<>();

	private record Saved(Logger logger, Level level, boolean additive) {
	}

	public LogCapture(String... loggerNames) {
		this.appender.start();
		for (String name : loggerNames) {
			Logger logger = (Logger) LoggerFactory.getLogger(name);
			// Quieter levels configured below it (logback-test.xml) would hide events:
			// lift them while capturing.
			for (Logger descendant : logger.getLoggerContext().getLoggerList()) {
				if (descendant.getName().startsWith(name + ".") && descendant.getLevel() != null) {
					this.saved.add(new Saved(descendant, descendant.getLevel(), descendant.isAdditive()));
					descendant.setLevel(null);
				}
			}
			this.saved.add(new Saved(logger, logger.getLevel(), logger.isAdditive()));
			logger.setLevel(Level.DEBUG);
			logger.setAdditive(false);
			logger.addAppender(this.appender);
		}
	}

	public int eventCount() {
		return this.appender.list.size();
	}

	/** Every captured event as text. */
	public String text() {
		StringBuilder text = new StringBuilder();
		for (ILoggingEvent event : List.copyOf(this.appender.list)) {
			text.append(event.getLevel())
				.append(' ')
				.append(event.getLoggerName())
				.append(" - ")
				.append(event.getFormattedMessage())
				.append(' ')
				.append(event.getMDCPropertyMap())
				.append('\n');
			for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
				text.append("  ").append(t.getClassName()).append(": ").append(t.getMessage()).append('\n');
				for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
					text.append("    ").append(frame.getSTEAsString()).append('\n');
				}
			}
		}
		return text.toString();
	}

	@Override
	public void close() {
		for (int i = this.saved.size() - 1; i >= 0; i--) {
			Saved logger = this.saved.get(i);
			logger.logger().detachAppender(this.appender);
			logger.logger().setLevel(logger.level());
			logger.logger().setAdditive(logger.additive());
		}
		this.appender.stop();
	}

}
