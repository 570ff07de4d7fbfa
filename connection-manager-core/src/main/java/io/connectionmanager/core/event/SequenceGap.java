package io.connectionmanager.core.event;

import java.time.Instant;

/**
 * Numeric positions jumped: {@code firstMissing..lastMissing} (inclusive) never arrived.
 *
 * @param connection the connection's name
 * @param firstMissing the first missing position
 * @param lastMissing the last missing position
 * @param timestamp when the gap was seen
 */
public record SequenceGap(String connection, long firstMissing, long lastMissing, Instant timestamp) {

	public long size() {
		return this.lastMissing - this.firstMissing + 1;
	}

}
