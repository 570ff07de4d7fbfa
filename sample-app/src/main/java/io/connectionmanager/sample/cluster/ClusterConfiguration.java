package io.connectionmanager.sample.cluster;

import io.connectionmanager.cluster.ExclusiveConnections;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.integration.redis.util.RedisLockRegistry;

/**
 * Profile {@code cluster}: the lock registry that elects the replica holding the
 * market-data connection (Spring Integration's, over the Redis of
 * {@code spring.data.redis.*}).
 */
@Configuration(proxyBeanMethods = false)
@Profile("cluster")
public class ClusterConfiguration {

	private static final Log logger = LogFactory.getLog(ClusterConfiguration.class);

	@Bean
	RedisLockRegistry lockRegistry(RedisConnectionFactory redis) {
		return new RedisLockRegistry(redis, "connection-manager-sample");
	}

	/** Several replicas on one machine each take a free port: say which. */
	@EventListener
	void ready(WebServerInitializedEvent event) {
		ExclusiveConnections exclusive = event.getApplicationContext().getBean(ExclusiveConnections.class);
		logger.info("Replica " + exclusive.replicaId() + ": dashboard at http://localhost:"
				+ event.getWebServer().getPort() + "/");
	}

}
