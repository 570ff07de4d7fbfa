package io.connectionmanager.cluster;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.connectionmanager.autoconfigure.ConnectionDefinition;
import io.connectionmanager.autoconfigure.ConnectionDefinitions;
import io.connectionmanager.autoconfigure.ConnectionManagerAutoConfiguration;
import io.connectionmanager.autoconfigure.ConnectionRoles;
import io.connectionmanager.autoconfigure.ExclusiveModeUnavailableException;
import io.connectionmanager.core.ManagedConnection;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.integration.support.locks.LockRegistry;
import org.springframework.integration.support.locks.RenewableLockRegistry;

/**
 * Auto-configuration of exclusive connections ({@code cluster.mode: exclusive}): each is
 * run by the one replica that holds its role in the application's Spring Integration
 * {@link LockRegistry} bean ({@code RedisLockRegistry} over Spring Data Redis, or
 * {@code JdbcLockRegistry} over a {@code DataSource}). Backs off when Spring Integration
 * is not on the classpath. With an exclusive connection and no usable lock registry,
 * start-up fails with a message saying what to add.
 */
@AutoConfiguration(after = ConnectionManagerAutoConfiguration.class)
@ConditionalOnClass(LockRegistry.class)
@ConditionalOnBean(ConnectionDefinitions.class)
@EnableConfigurationProperties(ClusterProperties.class)
public final class ClusterAutoConfiguration {

	static final String ADD_A_REGISTRY = "Add a LockRegistry bean, e.g. with spring-integration-redis and Spring Data"
			+ " Redis: @Bean RedisLockRegistry lockRegistry(RedisConnectionFactory redis) { return new"
			+ " RedisLockRegistry(redis, \"connection-manager\"); }, or with spring-integration-jdbc and a DataSource:"
			+ " @Bean JdbcLockRegistry lockRegistry(DataSource dataSource) { return new JdbcLockRegistry(new"
			+ " DefaultLockRepository(dataSource)); } (the INT_LOCK table: see the README), or set cluster.mode:"
			+ " everywhere.";

	@Bean
	@ConditionalOnMissingBean(ConnectionRoles.class)
	ExclusiveConnections connectionManagerExclusiveConnections(ConnectionDefinitions definitions,
			ObjectProvider<LockRegistry<?>> registries, ClusterProperties properties, BeanFactory beanFactory) {
		List<ConnectionDefinition> exclusive = definitions.all()
			.stream()
			.filter((definition) -> definition.cluster().exclusive())
			.toList();
		LeaseTimings timings = properties.timings();
		String replicaId = (properties.replicaId() != null) ? properties.replicaId() : defaultReplicaId();
		if (exclusive.isEmpty()) {
			return new ExclusiveConnections((key) -> null, Map.of(), timings, replicaId);
		}
		List<String> names = exclusive.stream().map(ConnectionDefinition::name).toList();
		LockRegistry<?> registry = registry(registries, names);
		Map<String, String> roleOwners = new HashMap<>();
		Map<ManagedConnection, String> roles = new LinkedHashMap<>();
		for (ConnectionDefinition definition : exclusive) {
			String role = definition.cluster().role();
			String other = roleOwners.putIfAbsent(role, definition.name());
			if (other != null) {
				throw new ExclusiveModeUnavailableException(names,
						"connections '" + other + "' and '" + definition.name() + "' share the role '" + role + "'",
						"Give each exclusive connection its own cluster.role (default connection-manager/<name>).");
			}
			if (definition.cluster().balance()) {
				throw new ExclusiveModeUnavailableException(names,
						"connection '" + definition.name() + "' sets cluster.balance, which this version does not"
								+ " support yet",
						"Remove cluster.balance (roles spread by whichever replica takes each one first).");
			}
			roles.put(beanFactory.getBean(definition.name(), ManagedConnection.class), role);
		}
		return new ExclusiveConnections(registry, roles, timings, replicaId);
	}

	private static LockRegistry<?> registry(ObjectProvider<LockRegistry<?>> registries, List<String> names) {
		if (registries.stream().findAny().isEmpty()) {
			throw new ExclusiveModeUnavailableException(names, "there is no LockRegistry bean", ADD_A_REGISTRY);
		}
		LockRegistry<?> registry = registries.getIfUnique();
		if (registry == null) {
			throw new ExclusiveModeUnavailableException(names, "there are several LockRegistry beans",
					"Keep one LockRegistry bean, or mark the one to use @Primary.");
		}
		if (!(registry instanceof RenewableLockRegistry<?>)) {
			throw new ExclusiveModeUnavailableException(names,
					"the LockRegistry bean (" + registry.getClass().getName() + ") cannot renew a lease",
					ADD_A_REGISTRY);
		}
		return registry;
	}

	private static String defaultReplicaId() {
		// "pid@host" on the JVMs we know, without a DNS lookup.
		return ManagementFactory.getRuntimeMXBean().getName();
	}

}
