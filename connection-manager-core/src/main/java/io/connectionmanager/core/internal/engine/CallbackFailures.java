package io.connectionmanager.core.internal.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Counts what handler and listener callbacks throw and logs it at most once per
 * {@link #LOG_INTERVAL_NANOS} per connection (a handler failing on every message of a
 * busy stream must not flood the log), with the number of failures not logged since.
 */
final class CallbackFailures {

	private static final Log logger = LogFactory.getLog(CallbackFailures.class);

	static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

	private final String connection;

	private final LongAdder count = new LongAdder();

	private final AtomicLong lastLoggedNanos = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);

	private final LongAdder suppressed = new LongAdder();

	CallbackFailures(String connection) {
		this.connection = connection;
	}

	/** Callbacks that threw so far. */
	long count() {
		return this.count.sum();
	}

	void record(String callback, Throwable failure) {
		this.count.increment();
		long now = System.nanoTime();
		long last = this.lastLoggedNanos.get();
		if (now - last < LOG_INTERVAL_NANOS || !this.lastLoggedNanos.compareAndSet(last, now)) {
			this.suppressed.increment();
			return;
		}
		long notLogged = this.suppressed.sumThenReset();
		logger.warn("Connection '" + this.connection + "': " + callback + " threw; the connection carries on"
				+ ((notLogged > 0) ? " (" + notLogged + " more failures since the last report)" : ""), failure);
	}

}
