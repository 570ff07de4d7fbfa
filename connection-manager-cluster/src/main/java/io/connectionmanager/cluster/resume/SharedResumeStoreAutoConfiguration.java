package io.connectionmanager.cluster.resume;

import javax.sql.DataSource;

import io.connectionmanager.autoconfigure.ConnectionDefinitions;
import io.connectionmanager.autoconfigure.ConnectionManagerAutoConfiguration;
import io.connectionmanager.autoconfigure.ResumeStoreType;
import io.connectionmanager.cluster.ClusterProperties;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Auto-configuration of the resume stores shared by replicas: {@code resume.store:
 * redis} with a Spring Data Redis {@link RedisConnectionFactory}, {@code resume.store:
 * jdbc} with a {@link DataSource}. Needs neither Spring Integration nor exclusive mode.
 */
@AutoConfiguration(after = ConnectionManagerAutoConfiguration.class,
		afterName = { "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
				"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
@ConditionalOnBean(ConnectionDefinitions.class)
@EnableConfigurationProperties(ClusterProperties.class)
public final class SharedResumeStoreAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(StringRedisTemplate.class)
	@ConditionalOnBean(RedisConnectionFactory.class)
	static class Redis {

		@Bean
		@ConditionalOnMissingBean(name = "connectionManagerRedisResumeStores")
		SharedResumeStoreProvider connectionManagerRedisResumeStores(RedisConnectionFactory redis,
				ConnectionDefinitions definitions, ClusterProperties properties, ListableBeanFactory beanFactory) {
			StringRedisTemplate template = new StringRedisTemplate(redis);
			String prefix = properties.resume().redisKeyPrefix();
			return new SharedResumeStoreProvider(ResumeStoreType.REDIS, definitions,
					SharedResumeStoreProvider.handlers(beanFactory),
					(interval) -> new RedisResumeStore(template, prefix, interval));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(JdbcTemplate.class)
	@ConditionalOnBean(DataSource.class)
	static class Jdbc {

		@Bean
		@ConditionalOnMissingBean(name = "connectionManagerJdbcResumeStores")
		SharedResumeStoreProvider connectionManagerJdbcResumeStores(DataSource dataSource,
				ConnectionDefinitions definitions, ClusterProperties properties, ListableBeanFactory beanFactory) {
			JdbcTemplate template = new JdbcTemplate(dataSource);
			ClusterProperties.Resume resume = properties.resume();
			return new SharedResumeStoreProvider(ResumeStoreType.JDBC, definitions,
					SharedResumeStoreProvider.handlers(beanFactory), (interval) -> new JdbcResumeStore(template,
							resume.jdbcTable(), resume.jdbcCreateTable(), interval));
		}

	}

}
