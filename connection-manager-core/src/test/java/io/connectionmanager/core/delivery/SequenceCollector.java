package io.connectionmanager.core.delivery;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.event.SequenceGap;
import io.connectionmanager.core.resume.GapAction;
import io.connectionmanager.core.resume.StreamPosition;
import io.connectionmanager.core.transport.Message;

/**
 * A handler for numbered streams that checks exactly-once, in-order delivery as it goes:
 * every message must be the successor of the previous one; each one that is not is
 * recorded as a jump ({@code "1000 -> 1011"}). Answers sequence gaps with a fixed
 * {@link GapAction} and records the gaps it was asked about.
 */
class SequenceCollector implements ConnectionHandler {

	private final AtomicLong last;

	private final AtomicLong received = new AtomicLong();

	private final List<String> jumps = new CopyOnWriteArrayList<>();

	private final GapAction onGap;

	private final List<SequenceGap> gaps = new CopyOnWriteArrayList<>();

	SequenceCollector(long startAfter) {
		this(startAfter, GapAction.DELIVER);
	}

	SequenceCollector(long startAfter, GapAction onGap) {
		this.last = new AtomicLong(startAfter);
		this.onGap = onGap;
	}

	@Override
	public StreamPosition positionOf(Message message) {
		return StreamPosition.sequence(Long.parseLong(((Message.Text) message).text()));
	}

	@Override
	public GapAction onSequenceGap(SequenceGap gap) {
		this.gaps.add(gap);
		return this.onGap;
	}

	@Override
	public void onMessage(Message message) {
		long sequence = Long.parseLong(((Message.Text) message).text());
		long previous = this.last.getAndSet(sequence);
		if (sequence != previous + 1) {
			this.jumps.add(previous + " -> " + sequence);
		}
		this.received.incrementAndGet();
	}

	long last() {
		return this.last.get();
	}

	long received() {
		return this.received.get();
	}

	long outOfOrder() {
		return this.jumps.size();
	}

	/** Every delivery that was not the successor of the one before. */
	List<String> jumps() {
		return this.jumps;
	}

	/** The gaps the engine asked this handler about. */
	List<SequenceGap> gaps() {
		return this.gaps;
	}

}
