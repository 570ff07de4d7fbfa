package io.connectionmanager.autoconfigure.health;

import io.connectionmanager.actuate.health.ConnectionHealthIndicator;
import io.connectionmanager.actuate.health.ConnectionsHealthContributor;
import io.connectionmanager.autoconfigure.ConnectionDefinitions;
import io.connectionmanager.autoconfigure.ConnectionRole;
import io.connectionmanager.autoconfigure.ConnectionRoles;
import io.connectionmanager.autoconfigure.ConnectionManagerAutoConfiguration;
import io.connectionmanager.autoconfigure.ConnectionRegistry;
import io.connectionmanager.core.ManagedConnection;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code connections} health component: a composite with one
 * indicator per connection, configured or registered at run time (so it exists even when
 * no connection is configured). Turned off with
 * {@code management.health.connections.enabled=false}. It is not added to the liveness
 * group (a remote outage must never restart the application); add it to readiness with
 * {@code management.endpoint.health.group.readiness.include=readinessState,connections}.
 */
@AutoConfiguration(after = ConnectionManagerAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(ConnectionDefinitions.class)
@ConditionalOnEnabledHealthIndicator("connections")
public final class ConnectionManagerHealthContributorAutoConfiguration {

	/**
	 * The bean name minus its {@code HealthContributor} suffix is the component name:
	 * {@code connections}.
	 */
	@Bean
	@ConditionalOnMissingBean(name = { "connectionsHealthIndicator", "connectionsHealthContributor" })
	HealthContributor connectionsHealthContributor(ObjectProvider<ManagedConnection> connections,
			ConnectionDefinitions definitions, ObjectProvider<ConnectionRoles> roles,
			ObjectProvider<ConnectionRegistry> registry) {
		// live: connections registered at run time come and go with their component
		return new ConnectionsHealthContributor(connections::orderedStream,
				(connection) -> new ConnectionHealthIndicator(connection,
						isCritical(registry, definitions, connection.name()), () -> role(roles, connection.name())));
	}

	private static boolean isCritical(ObjectProvider<ConnectionRegistry> registry, ConnectionDefinitions definitions,
			String connection) {
		ConnectionRegistry available = registry.getIfAvailable();
		return (available != null) ? available.isCritical(connection) : definitions.isCritical(connection);
	}

	private static ConnectionRole role(ObjectProvider<ConnectionRoles> roles, String connection) {
		ConnectionRoles available = roles.getIfAvailable();
		return (available != null) ? available.role(connection) : null;
	}

}
