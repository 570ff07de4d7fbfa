package io.connectionmanager.cluster.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;

import javax.sql.DataSource;

import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.resume.StreamPosition;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.event.ConnectionStateChangedEvent;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.integration.redis.util.RedisLockRegistry;

/**
 * One replica, run by the tests as a JVM process of its own: the starter's
 * auto-configuration, a {@link RedisLockRegistry} on the Redis of
 * {@code spring.data.redis.port} (or, with {@code replica.lock-store=jdbc}, a
 * {@link JdbcLockRegistry} on {@code spring.datasource.url}), and a handler for the
 * connection {@code feed} that records every number it is given in
 * {@code replica.delivery-log} (one write per message, so a SIGKILL loses nothing that
 * was handled). Every state change is printed as {@code STATE <connection> <state>} for
 * the test to read.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ReplicaApplication {

	public static void main(String[] args) throws InterruptedException {
		SpringApplication.run(ReplicaApplication.class, args);
		System.out.println("READY");
		// Nothing else keeps a JVM without a web server alive; SIGTERM closes the
		// context.
		new CountDownLatch(1).await();
	}

	/** {@code replica.lock-store=redis} (the default). */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "replica.lock-store", havingValue = "redis", matchIfMissing = true)
	static class RedisLocks {

		@Bean
		RedisLockRegistry lockRegistry(RedisConnectionFactory redis) {
			return new RedisLockRegistry(redis, "connection-manager-it");
		}

	}

	/** {@code replica.lock-store=jdbc}: the INT_LOCK table of Spring Integration. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "replica.lock-store", havingValue = "jdbc")
	static class JdbcLocks {

		@Bean
		DefaultLockRepository lockRepository(DataSource dataSource) {
			return new DefaultLockRepository(dataSource);
		}

		@Bean
		JdbcLockRegistry lockRegistry(DefaultLockRepository repository) {
			return new JdbcLockRegistry(repository);
		}

	}

	@Bean
	@Qualifier("feed")
	ConnectionHandler feedHandler(@Value("${replica.delivery-log}") Path log) throws IOException {
		FileChannel out = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
				StandardOpenOption.APPEND);
		return new ConnectionHandler() {
			@Override
			public StreamPosition positionOf(Message message) {
				return StreamPosition.sequence(Long.parseLong(((Message.Text) message).text()));
			}

			@Override
			public void onMessage(Message message) {
				try {
					out.write(ByteBuffer
						.wrap((((Message.Text) message).text() + "\n").getBytes(StandardCharsets.US_ASCII)));
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}
		};
	}

	@EventListener
	void on(ConnectionStateChangedEvent event) {
		System.out.println("STATE " + event.getConnectionName() + " " + event.getCurrent());
	}

}
