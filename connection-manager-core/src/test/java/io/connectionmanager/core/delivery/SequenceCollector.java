package io.connectionmanager.core.delivery;

import java.util.concurrent.atomic.AtomicLong;

import io.connectionmanager.core.ConnectionHandler;
import io.connectionmanager.core.resume.StreamPosition;
import io.connectionmanager.core.transport.Message;

/**
 * A handler for numbered streams that checks exactly-once, in-order delivery as it goes:
 * every message must be the successor of the previous one.
 */
class SequenceCollector implements ConnectionHandler {

	private final AtomicLong last;

	private final AtomicLong received = new AtomicLong();

	private final AtomicLong outOfOrder = new AtomicLong();

	SequenceCollector(long startAfter) {
		this.last = new AtomicLong(startAfter);
	}

	@Override
	public StreamPosition positionOf(Message message) {
		return StreamPosition.sequence(Long.parseLong(((Message.Text) message).text()));
	}

	@Override
	public void onMessage(Message message) {
		long sequence = Long.parseLong(((Message.Text) message).text());
		if (sequence != this.last.get() + 1) {
			this.outOfOrder.incrementAndGet();
		}
		this.last.set(sequence);
		this.received.incrementAndGet();
	}

	long last() {
		return this.last.get();
	}

	long received() {
		return this.received.get();
	}

	long outOfOrder() {
		return this.outOfOrder.get();
	}

}
