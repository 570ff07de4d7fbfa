package io.connectionmanager.core.config;

import java.time.Duration;

/**
 * Liveness checking for CONNECTED connections. A ping is sent when nothing was sent, or
 * nothing was received, for {@code interval}; if no pong or other inbound traffic arrives
 * within {@code timeout} after it, the connection is dead. Checking the receive side too
 * is what catches a half-open connection under a busy sender, whose writes keep
 * succeeding into the kernel buffer while nothing comes back.
 *
 * @param enabled whether heartbeats run
 * @param interval idle time before a ping
 * @param timeout how long to wait for a sign of life after a ping
 */
public record HeartbeatSettings(boolean enabled, Duration interval, Duration timeout) {

	public HeartbeatSettings {
		if (enabled) {
			Settings.positive("heartbeat.interval", interval);
			Settings.positive("heartbeat.timeout", timeout);
		}
	}

	// Shared instances (settings are immutable).
	private static final HeartbeatSettings DEFAULTS = new HeartbeatSettings(true, Duration.ofSeconds(15),
			Duration.ofSeconds(10));

	private static final HeartbeatSettings DISABLED = new HeartbeatSettings(false, null, null);

	public static HeartbeatSettings defaults() {
		return DEFAULTS;
	}

	public static HeartbeatSettings disabled() {
		return DISABLED;
	}

	/**
	 * The longest a dead peer can go unnoticed: one idle interval plus the pong timeout.
	 */
	public Duration detectionBound() {
		return this.enabled ? this.interval.plus(this.timeout) : null;
	}

}
