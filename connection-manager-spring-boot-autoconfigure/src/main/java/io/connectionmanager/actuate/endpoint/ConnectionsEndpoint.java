package io.connectionmanager.actuate.endpoint;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

import io.connectionmanager.core.ManagedConnection;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code connections} endpoint: every connection's snapshot, one connection's
 * snapshot, and operator actions ({@code connect}, {@code disconnect},
 * {@code reconnect}). Actions are requests: they return at once, with the snapshot at
 * that moment; read the endpoint again (or watch health) for their outcome.
 */
@Endpoint(id = "connections")
public class ConnectionsEndpoint {

	private final ObjectProvider<ManagedConnection> connections;

	private final Predicate<String> critical;

	/**
	 * @param connections the connections to show
	 * @param critical whether the named connection is critical
	 */
	public ConnectionsEndpoint(ObjectProvider<ManagedConnection> connections, Predicate<String> critical) {
		this.connections = connections;
		this.critical = critical;
	}

	@ReadOperation
	public ConnectionsDescriptor connections() {
		Map<String, ConnectionDescriptor> descriptors = new LinkedHashMap<>();
		byName().forEach((name, connection) -> descriptors.put(name, describe(connection)));
		return new ConnectionsDescriptor(descriptors);
	}

	/**
	 * One connection, or {@code null} (404 over HTTP) when there is none of that name.
	 */
	@ReadOperation
	public @Nullable ConnectionDescriptor connection(@Selector String name) {
		ManagedConnection connection = byName().get(name);
		return (connection != null) ? describe(connection) : null;
	}

	/**
	 * Requests an action.
	 * @return the connection after the request, or {@code null} when there is no
	 * connection of that name
	 * @throws IllegalArgumentException when the action is missing or unknown
	 */
	@WriteOperation
	public @Nullable ConnectionDescriptor perform(@Selector String name, @Nullable String action) {
		ManagedConnection connection = byName().get(name);
		if (connection == null) {
			return null;
		}
		ConnectionAction.of(action).applyTo(connection);
		return describe(connection);
	}

	private ConnectionDescriptor describe(ManagedConnection connection) {
		return ConnectionDescriptor.of(connection, this.critical.test(connection.name()));
	}

	private Map<String, ManagedConnection> byName() {
		Map<String, ManagedConnection> byName = new LinkedHashMap<>();
		this.connections.orderedStream().forEach((connection) -> byName.put(connection.name(), connection));
		return byName;
	}

}
