package io.connectionmanager.autoconfigure.endpoint;

import io.connectionmanager.actuate.endpoint.ConnectionsEndpoint;
import io.connectionmanager.actuate.endpoint.ConnectionsEndpointWebExtension;
import io.connectionmanager.autoconfigure.ConnectionDefinitions;
import io.connectionmanager.autoconfigure.ConnectionRoles;
import io.connectionmanager.autoconfigure.ConnectionManagerAutoConfiguration;
import io.connectionmanager.autoconfigure.ConnectionRegistry;
import io.connectionmanager.core.ManagedConnection;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code connections} actuator endpoint; available once
 * exposed, e.g. with
 * {@code management.endpoints.web.exposure.include=health,connections}.
 */
@AutoConfiguration(after = ConnectionManagerAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(ConnectionDefinitions.class)
@ConditionalOnAvailableEndpoint(ConnectionsEndpoint.class)
public final class ConnectionsEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ConnectionsEndpoint connectionsEndpoint(ObjectProvider<ManagedConnection> connections,
			ConnectionDefinitions definitions, ObjectProvider<ConnectionRoles> roles,
			ObjectProvider<ConnectionRegistry> registry) {
		return new ConnectionsEndpoint(connections, (name) -> {
			ConnectionRegistry available = registry.getIfAvailable();
			return (available != null) ? available.isCritical(name) : definitions.isCritical(name);
		}, roles::getIfAvailable);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(ConnectionsEndpoint.class)
	@ConditionalOnAvailableEndpoint(endpoint = ConnectionsEndpoint.class, exposure = EndpointExposure.WEB)
	ConnectionsEndpointWebExtension connectionsEndpointWebExtension(ConnectionsEndpoint endpoint) {
		return new ConnectionsEndpointWebExtension(endpoint);
	}

}
