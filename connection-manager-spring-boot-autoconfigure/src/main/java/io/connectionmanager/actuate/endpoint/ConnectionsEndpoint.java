package io.connectionmanager.actuate.endpoint;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.connectionmanager.actuate.ConnectionStatus;
import io.connectionmanager.autoconfigure.ConnectionRole;
import io.connectionmanager.autoconfigure.ConnectionRoles;
import io.connectionmanager.core.ManagedConnection;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code connections} endpoint: every connection's status, one connection's status,
 * and operator actions ({@code connect}, {@code disconnect}, {@code reconnect}, and
 * {@code yield} for an exclusive connection). Actions are requests: they return at once,
 * with the status at that moment; read the endpoint again (or watch health) for their
 * outcome.
 * <p>
 * Read-only by default: an action can drop a production connection, so it is only
 * available with {@code management.endpoint.connections.access=unrestricted}.
 */
@Endpoint(id = "connections", defaultAccess = Access.READ_ONLY)
public class ConnectionsEndpoint {

	private final ObjectProvider<ManagedConnection> connections;

	private final Predicate<String> critical;

	private final Supplier<ConnectionRoles> roles;

	/**
	 * @param connections the connections to show
	 * @param critical whether the named connection is critical
	 */
	public ConnectionsEndpoint(ObjectProvider<ManagedConnection> connections, Predicate<String> critical) {
		this(connections, critical, () -> null);
	}

	/**
	 * @param connections the connections to show
	 * @param critical whether the named connection is critical
	 * @param roles leadership of exclusive connections (supplies {@code null} when there
	 * is none)
	 */
	public ConnectionsEndpoint(ObjectProvider<ManagedConnection> connections, Predicate<String> critical,
			Supplier<ConnectionRoles> roles) {
		this.connections = connections;
		this.critical = critical;
		this.roles = roles;
	}

	@ReadOperation
	public ConnectionsDescriptor connections() {
		Map<String, Map<String, Object>> statuses = new LinkedHashMap<>();
		byName().forEach((name, connection) -> statuses.put(name, status(connection)));
		return new ConnectionsDescriptor(statuses);
	}

	/**
	 * One connection's {@link ConnectionStatus status}, or {@code null} (404 over HTTP)
	 * when there is none of that name.
	 */
	@ReadOperation
	public @Nullable Map<String, Object> connection(@Selector String name) {
		ManagedConnection connection = byName().get(name);
		return (connection != null) ? status(connection) : null;
	}

	/**
	 * Requests an action.
	 * @return the connection's status after the request, or {@code null} when there is no
	 * connection of that name
	 * @throws IllegalArgumentException when the action is missing or unknown
	 */
	@WriteOperation
	public @Nullable Map<String, Object> perform(@Selector String name, @Nullable String action) {
		ManagedConnection connection = byName().get(name);
		if (connection == null) {
			return null;
		}
		ConnectionAction requested = ConnectionAction.of(action);
		ConnectionRole role = role(connection.name());
		if (requested == ConnectionAction.YIELD) {
			if (role == null) {
				throw new IllegalArgumentException(
						"\"yield\" applies to exclusive connections (cluster.mode: exclusive)" + " only; \"" + name
								+ "\" runs on every replica");
			}
			this.roles.get().handOver(name);
		}
		else if (role != null && !role.isLeader() && requested != ConnectionAction.DISCONNECT) {
			// Connecting a standby would open the connection on two replicas at once.
			throw new IllegalStateException("\"" + name + "\" is exclusive and held by another replica; "
					+ "ask the holder to \"yield\" instead");
		}
		else {
			requested.applyTo(connection);
		}
		return status(connection);
	}

	private Map<String, Object> status(ManagedConnection connection) {
		Map<String, Object> status = ConnectionStatus.of(connection, this.critical.test(connection.name()));
		ConnectionRole role = role(connection.name());
		if (role != null) {
			status = new LinkedHashMap<>(status);
			status.putAll(role.details());
		}
		return OperationResponseBody.of(status);
	}

	private ConnectionRole role(String name) {
		ConnectionRoles roles = this.roles.get();
		return (roles != null) ? roles.role(name) : null;
	}

	private Map<String, ManagedConnection> byName() {
		Map<String, ManagedConnection> byName = new LinkedHashMap<>();
		this.connections.orderedStream().forEach((connection) -> byName.put(connection.name(), connection));
		return byName;
	}

}
