package io.connectionmanager.cluster;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import io.connectionmanager.autoconfigure.ConnectionDefinition;
import io.connectionmanager.autoconfigure.ConnectionDefinitions;
import io.connectionmanager.autoconfigure.ConnectionManagerAutoConfiguration;
import io.connectionmanager.autoconfigure.ConnectionRoles;
import io.connectionmanager.autoconfigure.ExclusiveModeUnavailableException;
import io.connectionmanager.cluster.membership.JdbcMembership;
import io.connectionmanager.cluster.membership.Membership;
import io.connectionmanager.cluster.membership.RedisMembership;
import io.connectionmanager.core.ManagedConnection;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.integration.support.locks.LockRegistry;
import org.springframework.integration.support.locks.RenewableLockRegistry;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Auto-configuration of exclusive connections ({@code cluster.mode: exclusive}): each is
 * run by the one replica that holds its role in the application's Spring Integration
 * {@link LockRegistry} bean ({@code RedisLockRegistry} over Spring Data Redis, or
 * {@code JdbcLockRegistry} over a {@code DataSource}). Backs off when Spring Integration
 * is not on the classpath. With an exclusive connection and no usable lock registry,
 * start-up fails with a message saying what to add.
 */
@AutoConfiguration(after = ConnectionManagerAutoConfiguration.class,
		afterName = { "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
				"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
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
			ObjectProvider<LockRegistry<?>> registries, ObjectProvider<Membership> memberships,
			ClusterProperties properties, BeanFactory beanFactory) {
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
			roles.put(beanFactory.getBean(definition.name(), ManagedConnection.class), role);
		}
		Set<String> balanced = exclusive.stream()
			.filter((definition) -> definition.cluster().balance())
			.map(ConnectionDefinition::name)
			.collect(Collectors.toSet());
		Membership membership = memberships.getIfAvailable();
		if (!balanced.isEmpty() && membership == null) {
			throw new ExclusiveModeUnavailableException(names, "cluster.balance needs a record of the live replicas",
					"Use a RedisLockRegistry with a RedisConnectionFactory bean, or a JdbcLockRegistry with a"
							+ " DataSource bean (the membership record is kept beside the locks), or remove"
							+ " cluster.balance.");
		}
		return new ExclusiveConnections(registry, roles, timings, replicaId, membership, balanced);
	}

	/** Membership beside Redis locks. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.integration.redis.util.RedisLockRegistry",
			"org.springframework.data.redis.core.StringRedisTemplate" })
	@ConditionalOnBean(type = { "org.springframework.integration.redis.util.RedisLockRegistry",
			"org.springframework.data.redis.connection.RedisConnectionFactory" })
	static class RedisMembershipConfiguration {

		@Bean
		@ConditionalOnMissingBean
		Membership connectionManagerMembership(RedisConnectionFactory redis, ClusterProperties properties) {
			return new RedisMembership(new StringRedisTemplate(redis), properties.membership().redisKeyPrefix());
		}

	}

	/** Membership beside JDBC locks. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.integration.jdbc.lock.JdbcLockRegistry",
			"org.springframework.jdbc.core.JdbcTemplate" })
	@ConditionalOnBean(type = { "org.springframework.integration.jdbc.lock.JdbcLockRegistry", "javax.sql.DataSource" })
	static class JdbcMembershipConfiguration {

		@Bean
		@ConditionalOnMissingBean
		Membership connectionManagerMembership(DataSource dataSource, ClusterProperties properties) {
			return new JdbcMembership(new JdbcTemplate(dataSource), properties.membership().jdbcTable(),
					properties.membership().jdbcCreateTable());
		}

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
