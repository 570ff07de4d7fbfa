package io.connectionmanager.core.failure;

import java.time.Instant;
import java.util.Objects;

/**
 * A classified failure: what happened, whether it is fatal, and the protocol detail that
 * led to the decision.
 *
 * @param kind what went wrong
 * @param message a human-readable description, never containing credentials
 * @param fatal whether the connection stops retrying ({@code FATAL})
 * @param httpStatus the upgrade's HTTP status for {@link FailureKind#UPGRADE_REJECTED},
 * else {@code null}
 * @param closeCode the close code for {@link FailureKind#CLOSED_BY_PEER}, else
 * {@code null}
 * @param timestamp when it was observed
 * @param exception the underlying exception, if any (not serialised by the Spring layer)
 */
public record Failure(FailureKind kind, String message, boolean fatal, Integer httpStatus, Integer closeCode,
		Instant timestamp, Throwable exception) {

	public Failure {
		Objects.requireNonNull(kind, "kind");
		Objects.requireNonNull(message, "message");
		Objects.requireNonNull(timestamp, "timestamp");
	}

	/**
	 * A short description such as
	 * {@code UPGRADE_REJECTED (HTTP 503): Service Unavailable}.
	 */
	public String describe() {
		StringBuilder text = new StringBuilder(this.kind.name());
		if (this.httpStatus != null) {
			text.append(" (HTTP ").append(this.httpStatus).append(')');
		}
		if (this.closeCode != null) {
			text.append(" (close ").append(this.closeCode).append(')');
		}
		return text.append(": ").append(this.message).toString();
	}

	@Override
	public String toString() {
		return describe();
	}

}
