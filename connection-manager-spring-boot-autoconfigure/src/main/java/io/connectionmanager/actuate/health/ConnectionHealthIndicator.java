package io.connectionmanager.actuate.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.connectionmanager.actuate.ConnectionStatus;
import io.connectionmanager.autoconfigure.ConnectionRole;
import io.connectionmanager.core.state.ConnectionSnapshot;
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
 * still shows that it is not connected.
 * <p>
 * The details are the documented subset of the connection's {@link ConnectionStatus}:
 * {@code state, since, attempt, circuitBreaker, critical}, plus {@code lastFailure} and
 * {@code nextAttemptAt} when there are any. They never contain headers or other
 * credentials: the failure is its description only.
 * <p>
 * An exclusive connection ({@code cluster.mode: exclusive}) adds its
 * {@link ConnectionRole#details() role}. On a standby (another replica holds the
 * connection) it is UP with {@code role: standby} while the lock store is reachable, and
 * UNKNOWN when it is not, so that a fleet that cannot see its lock store does not look
 * healthy.
 */
public class ConnectionHealthIndicator implements HealthIndicator {

	/** The details shown, in this order. */
	public static final List<String> DETAILS = List.of("state", "endpoint", "since", "attempt", "circuitBreaker",
			"critical", "lastFailure", "nextAttemptAt");

	private final ManagedConnection connection;

	private final boolean critical;

	private final Supplier<ConnectionRole> role;

	public ConnectionHealthIndicator(ManagedConnection connection, boolean critical) {
		this(connection, critical, () -> null);
	}

	/**
	 * @param connection the connection
	 * @param critical whether it takes health DOWN while not connected
	 * @param role this replica's part in the connection when it is exclusive, else
	 * {@code null}
	 */
	public ConnectionHealthIndicator(ManagedConnection connection, boolean critical, Supplier<ConnectionRole> role) {
		this.connection = connection;
		this.critical = critical;
		this.role = role;
	}

	@Override
	public Health health() {
		ConnectionSnapshot snapshot = this.connection.snapshot();
		Map<String, Object> status = ConnectionStatus.of(snapshot, this.connection.settings().url(), this.critical);
		Map<String, Object> details = ConnectionStatus.select(status, DETAILS);
		ConnectionRole role = this.role.get();
		if (role == null) {
			return new Health.Builder(status(snapshot.state())).withDetails(details).build();
		}
		Map<String, Object> withRole = new LinkedHashMap<>(details);
		withRole.putAll(role.details());
		Status standby = role.lockStoreReachable() ? Status.UP : Status.UNKNOWN;
		return new Health.Builder(role.isLeader() ? status(snapshot.state()) : standby).withDetails(withRole).build();
	}

	private Status status(ConnectionState state) {
		if (state == ConnectionState.CONNECTED) {
			return Status.UP;
		}
		return this.critical ? Status.DOWN : Status.UNKNOWN;
	}

}
