package io.connectionmanager.event;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.event.SequenceGap;

/**
 * Numeric stream positions were skipped: {@code firstMissing..lastMissing} (inclusive)
 * never arrived.
 */
public class SequenceGapEvent extends ConnectionApplicationEvent {

	private final SequenceGap gap;

	public SequenceGapEvent(ManagedConnection connection, SequenceGap gap) {
		super(connection, gap.connection(), gap.timestamp());
		this.gap = gap;
	}

	public long getFirstMissing() {
		return this.gap.firstMissing();
	}

	public long getLastMissing() {
		return this.gap.lastMissing();
	}

	public long getSize() {
		return this.gap.size();
	}

	public SequenceGap getGap() {
		return this.gap;
	}

}
