package io.connectionmanager.core.internal.outbound;

import java.util.ArrayDeque;
import java.util.function.Function;
import java.util.function.Predicate;

import io.connectionmanager.core.config.OutboundSettings;
import io.connectionmanager.core.outbound.MessageNotSentException;

/**
 * The two queues of an {@link OutboundBuffer} (control before application) with their
 * byte count and the bounds and overflow policy of the application queue. Not
 * thread-safe: guarded by the buffer's lock.
 */
final class MessageQueues {

	private final String connection;

	private final OutboundSettings settings;

	// Empty while CONNECTED and writable: start small (the default capacity, 16, is 88
	// bytes per queue) and grow when an outage fills them.
	private final ArrayDeque<QueuedMessage> control = new ArrayDeque<>(2);

	private final ArrayDeque<QueuedMessage> application = new ArrayDeque<>(2);

	private long bytes;

	private long dropped;

	MessageQueues(String connection, OutboundSettings settings) {
		this.connection = connection;
		this.settings = settings;
	}

	boolean isEmpty(boolean isControl) {
		return queue(isControl).isEmpty();
	}

	QueuedMessage peek(boolean isControl) {
		return queue(isControl).peek();
	}

	void add(QueuedMessage entry) {
		queue(entry.isControl).add(entry);
		this.bytes += entry.size;
	}

	void remove(QueuedMessage entry) {
		queue(entry.isControl).remove(entry);
		this.bytes -= entry.size;
	}

	/** Bounds and the overflow policy, for the application queue. */
	boolean admit(QueuedMessage entry) {
		if (entry.size > this.settings.bufferBytes()) {
			return false;
		}
		while (this.application.size() >= this.settings.bufferSize()
				|| this.bytes + entry.size > this.settings.bufferBytes()) {
			QueuedMessage oldest = this.application.peek();
			if (this.settings.overflow() == OutboundSettings.Overflow.REJECT || oldest == null) {
				return false;
			}
			remove(oldest);
			this.dropped++;
			oldest.future.completeExceptionally(new MessageNotSentException(
					"Dropped from the full outbound buffer of connection '" + this.connection + "' (drop-oldest)"));
		}
		return true;
	}

	/** Fails every message of a queue; returns how many. */
	int failAll(boolean isControl, Function<QueuedMessage, RuntimeException> failure) {
		ArrayDeque<QueuedMessage> queue = queue(isControl);
		int count = queue.size();
		QueuedMessage entry;
		while ((entry = queue.poll()) != null) {
			this.bytes -= entry.size;
			entry.future.completeExceptionally(failure.apply(entry));
		}
		return count;
	}

	/**
	 * Fails the application messages that match; the others keep their place but lose
	 * their planned permit. Returns how many failed.
	 */
	int failApplicationIf(Predicate<QueuedMessage> fails, Function<QueuedMessage, RuntimeException> failure) {
		int failed = 0;
		for (var it = this.application.iterator(); it.hasNext();) {
			QueuedMessage entry = it.next();
			if (fails.test(entry)) {
				it.remove();
				this.bytes -= entry.size;
				failed++;
				entry.future.completeExceptionally(failure.apply(entry));
			}
			else {
				entry.plannedAt = QueuedMessage.UNPLANNED;
			}
		}
		return failed;
	}

	int size() {
		return this.control.size() + this.application.size();
	}

	int applicationSize() {
		return this.application.size();
	}

	long bytes() {
		return this.bytes;
	}

	long dropped() {
		return this.dropped;
	}

	private ArrayDeque<QueuedMessage> queue(boolean isControl) {
		return isControl ? this.control : this.application;
	}

}
