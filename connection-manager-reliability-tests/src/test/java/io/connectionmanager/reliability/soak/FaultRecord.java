package io.connectionmanager.reliability.soak;

import io.connectionmanager.core.failure.FailureKind;

/**
 * One fault of the soak and what the connection did about it. Times are
 * {@link System#nanoTime()} values; {@code detectedAt} is when the connection left
 * CONNECTED ({@code null} if it never did), {@code recoveredAt} when it was CONNECTED
 * again after the fault was cleared ({@code null} if it never was).
 */
record FaultRecord(FaultKind kind, long injectedAt, long clearedAt, Long detectedAt, FailureKind detectedAs,
		Long recoveredAt) {

	Long detectionMillis() {
		return (this.detectedAt != null) ? (this.detectedAt - this.injectedAt) / 1_000_000 : null;
	}

	/**
	 * From the fault being cleared (the network or server is fine again) to CONNECTED.
	 */
	Long recoveryMillis() {
		return (this.recoveredAt != null) ? Math.max(0, this.recoveredAt - this.clearedAt) / 1_000_000 : null;
	}

	boolean recovered() {
		return this.recoveredAt != null;
	}

}
