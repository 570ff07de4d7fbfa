package io.connectionmanager.actuate.health;

import io.connectionmanager.core.ConnectionSnapshot;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.state.ConnectionState;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of one managed connection, from its snapshot (no I/O: a health probe never waits
 * for the network).
 * <p>
 * A critical connection is UP only while CONNECTED and DOWN otherwise. A non-critical one
 * must never take the application DOWN, so it reports UNKNOWN when not connected: the
 * default status aggregator orders {@code DOWN, OUT_OF_SERVICE, UP, UNKNOWN}, so UNKNOWN
 * ranks below UP and an aggregate with any UP member stays UP, while the component itself
 * still shows that it is not connected. The details never contain headers or other
 * credentials: the failure is its description only.
 */
public class ConnectionHealthIndicator implements HealthIndicator {

	private final ManagedConnection connection;

	private final boolean critical;

	public ConnectionHealthIndicator(ManagedConnection connection, boolean critical) {
		this.connection = connection;
		this.critical = critical;
	}

	@Override
	public Health health() {
		ConnectionSnapshot snapshot = this.connection.snapshot();
		Health.Builder builder = new Health.Builder(status(snapshot.state()))
			.withDetail("state", snapshot.state().name())
			.withDetail("since", String.valueOf(snapshot.since()))
			.withDetail("attempt", snapshot.attempt())
			.withDetail("circuitBreaker", snapshot.circuitBreakerState())
			.withDetail("critical", this.critical);
		if (snapshot.lastFailure() != null) {
			builder.withDetail("lastFailure", snapshot.lastFailure().describe());
		}
		if (snapshot.nextAttemptAt() != null) {
			builder.withDetail("nextAttemptAt", snapshot.nextAttemptAt().toString());
		}
		return builder.build();
	}

	private Status status(ConnectionState state) {
		if (state == ConnectionState.CONNECTED) {
			return Status.UP;
		}
		return this.critical ? Status.DOWN : Status.UNKNOWN;
	}

}
