package io.connectionmanager.cluster.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.connectionmanager.autoconfigure.ConnectionRole;
import io.connectionmanager.cluster.ExclusiveConnections;
import io.connectionmanager.cluster.LeaseTimings;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.test.server.TestWebSocketServer;
import io.connectionmanager.test.redis.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.integration.redis.util.RedisLockRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What 1,000 exclusive connections cost the lock store and the replica: one replica
 * holding all of them against a real redis-server, lease 10 s (the default). Redis counts
 * the commands it served over a window; the replica's cluster threads are counted.
 */
class LockStoreCostTests {

	private static final int CONNECTIONS = 1000;

	private static final Duration LEASE = Duration.ofSeconds(10);

	private static final Duration WINDOW = Duration.ofSeconds(5);

	@TempDir(cleanup = CleanupMode.ON_SUCCESS)
	Path directory;

	@Test
	void operationsPerSecondPerThousandExclusiveConnections() throws Exception {
		try (RedisServer redis = RedisServer.start(this.directory);
				TestWebSocketServer upstream = TestWebSocketServer.start();
				ConnectionRuntime runtime = ConnectionRuntime.create(1)) {
			LettuceConnectionFactory factory = new LettuceConnectionFactory(
					new RedisStandaloneConfiguration("127.0.0.1", redis.port()));
			factory.afterPropertiesSet();
			factory.start();
			RedisLockRegistry registry = new RedisLockRegistry(factory, "connection-manager-cost");
			Map<ManagedConnection, String> roles = new LinkedHashMap<>();
			List<ManagedConnection> connections = new ArrayList<>();
			for (int i = 0; i < CONNECTIONS; i++) {
				ManagedConnection connection = ManagedConnection
					.builder(ConnectionSettings.builder("c" + i).url(upstream.uri("/c" + i).toString()).build())
					.runtime(runtime)
					.build();
				connections.add(connection);
				roles.put(connection, "connection-manager/c" + i);
			}
			LeaseTimings timings = LeaseTimings.of(LEASE, null);
			ExclusiveConnections exclusive = new ExclusiveConnections(registry, roles, timings, "cost");
			exclusive.start();
			try {
				await().atMost(Duration.ofSeconds(60))
					.until(() -> connections.stream().allMatch((c) -> c.state() == ConnectionState.CONNECTED));
				assertThat(connections)
					.allSatisfy((c) -> assertThat(exclusive.role(c.name()).role()).isEqualTo(ConnectionRole.LEADER));
				try (RedisConnection commands = factory.getConnection()) {
					commands.serverCommands().resetConfigStats();
					long start = System.nanoTime();
					// A measurement window, not a synchronisation: the renewals run on
					// their own.
					await().pollDelay(WINDOW).atMost(WINDOW.multipliedBy(2)).until(() -> true);
					Properties stats = commands.serverCommands().info("commandstats");
					double seconds = (System.nanoTime() - start) / 1e9;
					double roundTrips = (calls(stats, "evalsha") + calls(stats, "eval")) / seconds;
					double executed = calls(stats, null) / seconds;
					long threads = Thread.getAllStackTraces()
						.keySet()
						.stream()
						.filter((thread) -> thread.getName().startsWith("connection-manager-cluster-"))
						.count();
					System.out.printf(
							"cluster cost: %d exclusive connections held, lease %s: %.0f lock-store round"
									+ " trips/s (at most %.0f), %.0f Redis commands/s counting those inside the lock"
									+ " scripts, %d cluster threads%n",
							CONNECTIONS, LEASE, roundTrips, timings.operationsPerSecondPerThousand(), executed,
							threads);
					assertThat(roundTrips).isBetween(timings.operationsPerSecondPerThousand() * 0.5,
							timings.operationsPerSecondPerThousand() * 1.5);
					assertThat(threads).isEqualTo(2);
				}
			}
			finally {
				exclusive.stop();
				connections.forEach(ManagedConnection::close);
				factory.destroy();
			}
		}
	}

	/**
	 * Calls of one command ({@code null}: of all but INFO and CONFIG), from INFO
	 * commandstats ({@code cmdstat_<name>:calls=N,...}).
	 */
	private static long calls(Properties stats, String command) {
		long calls = 0;
		for (String name : stats.stringPropertyNames()) {
			boolean counted = (command != null) ? name.equals("cmdstat_" + command)
					: name.startsWith("cmdstat_") && !name.equals("cmdstat_info") && !name.equals("cmdstat_config");
			if (counted) {
				String value = stats.getProperty(name);
				calls += Long.parseLong(value.substring("calls=".length(), value.indexOf(',')));
			}
		}
		return calls;
	}

}
