package io.connectionmanager.reliability.support;

import java.util.BitSet;

import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.event.SequenceGap;
import io.connectionmanager.core.resume.GapAction;
import io.connectionmanager.core.resume.StreamPosition;
import io.connectionmanager.core.transport.Message;

/**
 * The application side of a numbered stream (1..N): tells the engine each message's
 * position (so it resumes and drops duplicates) and audits what actually reaches the
 * application - every number exactly once, in order. A gap makes the engine reconnect and
 * replay rather than skip, so nothing may be lost.
 */
public final class StreamCollector implements ConnectionHandler {

	private final BitSet seen;

	private long delivered;

	private long duplicated;

	private long reordered;

	private long highest;

	private volatile long lastDeliveryNanos;

	public StreamCollector() {
		this(0);
	}

	/**
	 * Sized up front for a stream of {@code total} numbers, so that its own growth does
	 * not count as heap growth.
	 */
	public StreamCollector(long total) {
		this.seen = new BitSet((int) total + 1);
	}

	@Override
	public StreamPosition positionOf(Message message) {
		return StreamPosition.sequence(sequenceOf(message));
	}

	@Override
	public GapAction onSequenceGap(SequenceGap gap) {
		return GapAction.REPLAY;
	}

	@Override
	public synchronized void onMessage(Message message) {
		long sequence = sequenceOf(message);
		this.delivered++;
		this.lastDeliveryNanos = System.nanoTime();
		if (this.seen.get((int) sequence)) {
			this.duplicated++;
			return;
		}
		if (sequence != this.highest + 1) {
			this.reordered++;
		}
		this.seen.set((int) sequence);
		this.highest = Math.max(this.highest, sequence);
	}

	private static long sequenceOf(Message message) {
		return Long.parseLong(((Message.Text) message).text());
	}

	/** Distinct numbers delivered. */
	public synchronized long received() {
		return this.seen.cardinality();
	}

	/** Every onMessage call, duplicates included. */
	public synchronized long delivered() {
		return this.delivered;
	}

	public synchronized long duplicated() {
		return this.duplicated;
	}

	/**
	 * Numbers delivered other than as the successor of the highest so far (a skip or a
	 * late arrival).
	 */
	public synchronized long reordered() {
		return this.reordered;
	}

	public synchronized long highest() {
		return this.highest;
	}

	/** Numbers in 1..total never delivered. */
	public synchronized long lost(long total) {
		return total - this.seen.get(1, (int) total + 1).cardinality();
	}

	public long lastDeliveryNanos() {
		return this.lastDeliveryNanos;
	}

}
