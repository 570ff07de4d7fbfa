package io.connectionmanager.core.failure;

import java.io.IOException;

/**
 * The server answered the WebSocket upgrade with something other than
 * {@code 101 Switching Protocols}.
 */
public class UpgradeRejectedException extends IOException {

	private final int status;

	private final String retryAfter;

	public UpgradeRejectedException(int status, String reason, String retryAfter) {
		super("HTTP " + status + ((reason != null && !reason.isEmpty()) ? " " + reason : "") + " on upgrade");
		this.status = status;
		this.retryAfter = retryAfter;
	}

	public int status() {
		return this.status;
	}

	/** The {@code Retry-After} header, if the server sent one. */
	public String retryAfter() {
		return this.retryAfter;
	}

}
