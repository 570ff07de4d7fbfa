package io.connectionmanager.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.connectionmanager.autoconfigure.ConnectionManagerAutoConfiguration;
import io.connectionmanager.autoconfigure.ConnectionRole;
import io.connectionmanager.autoconfigure.ConnectionRoles;
import io.connectionmanager.autoconfigure.ExclusiveModeUnavailableException;
import io.connectionmanager.autoconfigure.diagnostics.ExclusiveModeUnavailableFailureAnalyzer;
import io.connectionmanager.autoconfigure.health.ConnectionManagerHealthContributorAutoConfiguration;
import io.connectionmanager.cluster.resume.SharedResumeStoreAutoConfiguration;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.integration.support.locks.LockRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Exclusive connections in one JVM: each application context is a replica with its own
 * {@link JdbcLockRegistry} over one shared H2 database (separate JVMs against Redis and
 * PostgreSQL/H2 servers are in connection-manager-cluster-tests).
 */
class ClusterAutoConfigurationTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	private static final JdbcDataSource database = new JdbcDataSource();

	private static TestWebSocketServer server;

	/**
	 * The most sessions open at once, seen when each one opens (an overlap starts so).
	 */
	private static final AtomicInteger mostOpen = new AtomicInteger();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ConnectionManagerAutoConfiguration.class,
				ConnectionManagerHealthContributorAutoConfiguration.class, ClusterAutoConfiguration.class,
				SharedResumeStoreAutoConfiguration.class))
		.withPropertyValues("connection-manager.runtime.threads=1", "connection-manager.cluster.lease=2s");

	@BeforeAll
	static void start() {
		database.setURL("jdbc:h2:mem:cluster;DB_CLOSE_DELAY=-1");
		new JdbcTemplate(database).execute("CREATE TABLE INT_LOCK (LOCK_KEY CHAR(36) NOT NULL, REGION VARCHAR(100)"
				+ " NOT NULL, CLIENT_ID CHAR(36), CREATED_DATE TIMESTAMP NOT NULL, EXPIRED_AFTER TIMESTAMP NOT NULL,"
				+ " CONSTRAINT INT_LOCK_PK PRIMARY KEY (LOCK_KEY, REGION))");
		server = TestWebSocketServer.start();
		server.onOpen((opened) -> {
			long sameAccount = server.connections()
				.stream()
				.filter((connection) -> connection.requestUri().equals(opened.requestUri()))
				.count();
			mostOpen.accumulateAndGet((int) sameAccount, Math::max);
		});
	}

	@AfterAll
	static void stop() {
		server.close();
	}

	@Test
	void backsOffWithoutSpringIntegrationAndExclusiveModeThenStopsStartUp() {
		this.runner.withClassLoader(new FilteredClassLoader(LockRegistry.class))
			.withPropertyValues(exclusive("feed"))
			.run((context) -> {
				assertThat(context).hasFailed();
				ExclusiveModeUnavailableException cause = cause(context);
				assertThat(cause.getMessage()).contains("nothing elects");
			});
		this.runner.withClassLoader(new FilteredClassLoader(LockRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ExclusiveConnections.class));
	}

	@Test
	void exclusiveWithoutALockRegistryFailsSayingWhatToAdd() {
		this.runner.withPropertyValues(exclusive("feed")).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new ExclusiveModeUnavailableFailureAnalyzer()
				.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("[feed]", "no LockRegistry bean");
			assertThat(analysis.getAction()).contains("RedisLockRegistry", "JdbcLockRegistry", "DataSource",
					"cluster.mode: everywhere");
		});
	}

	@Test
	void connectionsThatRunEverywhereNeedNoRegistryAndStartNoThread() {
		this.runner.withPropertyValues("connection-manager.connections.plain.url=" + server.uri("/plain"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(ExclusiveConnections.class).connections()).isEmpty();
				await().atMost(BOUND)
					.until(() -> context.getBean("plain", ManagedConnection.class)
						.state() == ConnectionState.CONNECTED);
				assertThat(clusterThreads()).isZero();
			});
	}

	@Test
	void oneReplicaHoldsTheConnectionTheOtherIsAStandbyAndYieldHandsItOver() {
		mostOpen.set(0);
		ApplicationContextRunner replica = this.runner.withUserConfiguration(JdbcReplica.class)
			.withPropertyValues(exclusive("feed"));
		replica.withPropertyValues("connection-manager.cluster.replica-id=a").run((a) -> {
			replica.withPropertyValues("connection-manager.cluster.replica-id=b").run((b) -> {
				assertThat(a).hasNotFailed();
				assertThat(b).hasNotFailed();
				ManagedConnection feedA = a.getBean("feed", ManagedConnection.class);
				ManagedConnection feedB = b.getBean("feed", ManagedConnection.class);
				await().atMost(BOUND)
					.until(() -> feedA.state() == ConnectionState.CONNECTED
							|| feedB.state() == ConnectionState.CONNECTED);
				AssertableApplicationContext holder = (feedA.state() == ConnectionState.CONNECTED) ? a : b;
				AssertableApplicationContext standby = (holder == a) ? b : a;
				String holderId = (holder == a) ? "a" : "b";

				Health held = health(holder);
				assertThat(held.getStatus()).isEqualTo(Status.UP);
				assertThat(held.getDetails()).containsEntry("role", "leader").containsEntry("holder", holderId);
				Health waiting = health(standby);
				assertThat(waiting.getStatus()).isEqualTo(Status.UP);
				assertThat(waiting.getDetails()).containsEntry("role", "standby")
					.containsEntry("state", "DISCONNECTED")
					.containsEntry("lockStore", "reachable");

				holder.getBean(ConnectionRoles.class).handOver("feed");
				ManagedConnection taker = standby.getBean("feed", ManagedConnection.class);
				await().atMost(BOUND).until(() -> taker.state() == ConnectionState.CONNECTED);
				assertThat(holder.getBean("feed", ManagedConnection.class).state())
					.isEqualTo(ConnectionState.DISCONNECTED);
				assertThat(role(holder).role()).isEqualTo(ConnectionRole.STANDBY);
				assertThat(role(standby).role()).isEqualTo(ConnectionRole.LEADER);
				assertThat(mostOpen.get()).as("sessions open at once").isEqualTo(1);
			});
		});
	}

	@Test
	void threadsDoNotGrowWithExclusiveConnections() {
		String[] twelve = new String[24];
		for (int i = 0; i < 12; i++) {
			twelve[2 * i] = "connection-manager.connections.c" + i + ".url=" + server.uri("/c" + i);
			twelve[2 * i + 1] = "connection-manager.connections.c" + i + ".cluster.mode=exclusive";
		}
		this.runner.withUserConfiguration(JdbcReplica.class).withPropertyValues(twelve).run((context) -> {
			assertThat(context).hasNotFailed();
			await().atMost(BOUND)
				.until(() -> context.getBeansOfType(ManagedConnection.class)
					.values()
					.stream()
					.allMatch((connection) -> connection.state() == ConnectionState.CONNECTED));
			assertThat(clusterThreads()).isEqualTo(2);
		});
	}

	@Test
	void balancedConnectionsSpreadOverTheReplicas() {
		String[] four = new String[12];
		for (int i = 0; i < 4; i++) {
			four[3 * i] = "connection-manager.connections.b" + i + ".url=" + server.uri("/b" + i);
			four[3 * i + 1] = "connection-manager.connections.b" + i + ".cluster.mode=exclusive";
			four[3 * i + 2] = "connection-manager.connections.b" + i + ".cluster.balance=true";
		}
		ApplicationContextRunner replica = this.runner.withUserConfiguration(JdbcReplica.class)
			.withPropertyValues(four);
		replica.withPropertyValues("connection-manager.cluster.replica-id=a").run((a) -> {
			assertThat(a).hasNotFailed();
			// Alone, a replica's share is everything.
			await().atMost(BOUND).until(() -> connected(a) == 4);
			replica.withPropertyValues("connection-manager.cluster.replica-id=b").run((b) -> {
				await().atMost(BOUND).until(() -> connected(a) == 2 && connected(b) == 2);
			});
			// b stopped and left the membership: a takes everything back.
			await().atMost(BOUND).until(() -> connected(a) == 4);
		});
	}

	private static long connected(AssertableApplicationContext context) {
		return context.getBeansOfType(ManagedConnection.class)
			.values()
			.stream()
			.filter((connection) -> connection.state() == ConnectionState.CONNECTED)
			.count();
	}

	@Test
	void worksWithoutSpringDataRedisOnTheClassPath() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis."))
			.withUserConfiguration(JdbcReplica.class)
			.withPropertyValues(exclusive("solo"))
			.withPropertyValues("connection-manager.connections.solo.resume.enabled=true",
					"connection-manager.connections.solo.resume.store=jdbc")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ManagedConnection solo = context.getBean("solo", ManagedConnection.class);
				await().atMost(BOUND).until(() -> solo.state() == ConnectionState.CONNECTED);
			});
	}

	@Test
	void twoConnectionsSharingARoleStopStartUp() {
		this.runner.withUserConfiguration(JdbcReplica.class)
			.withPropertyValues(exclusive("one"))
			.withPropertyValues(exclusive("two"))
			.withPropertyValues("connection-manager.connections.one.cluster.role=shared",
					"connection-manager.connections.two.cluster.role=shared")
			.run((context) -> assertThat(cause(context).getMessage()).contains("share the role 'shared'"));
	}

	private static long clusterThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().startsWith("connection-manager-cluster-"))
			.count();
	}

	private static ConnectionRole role(AssertableApplicationContext context) {
		return context.getBean(ConnectionRoles.class).role("feed");
	}

	private static Health health(AssertableApplicationContext context) {
		CompositeHealthContributor composite = context.getBean("connectionsHealthContributor",
				CompositeHealthContributor.class);
		return ((HealthIndicator) composite.getContributor("feed")).health();
	}

	private static String[] exclusive(String name) {
		return new String[] { "connection-manager.connections." + name + ".url=" + server.uri("/" + name),
				"connection-manager.connections." + name + ".cluster.mode=exclusive" };
	}

	private static ExclusiveModeUnavailableException cause(AssertableApplicationContext context) {
		Throwable candidate = context.getStartupFailure();
		while (candidate != null && !(candidate instanceof ExclusiveModeUnavailableException)) {
			candidate = candidate.getCause();
		}
		assertThat(candidate).as("cause of %s", context.getStartupFailure()).isNotNull();
		return (ExclusiveModeUnavailableException) candidate;
	}

	/** A replica's own lock registry over the shared database. */
	@Configuration(proxyBeanMethods = false)
	static class JdbcReplica {

		@Bean
		DataSource dataSource() {
			return database;
		}

		@Bean
		JdbcTransactionManager transactionManager(DataSource dataSource) {
			return new JdbcTransactionManager(dataSource);
		}

		@Bean
		DefaultLockRepository lockRepository(DataSource dataSource) {
			return new DefaultLockRepository(dataSource);
		}

		@Bean
		JdbcLockRegistry lockRegistry(DefaultLockRepository repository) {
			return new JdbcLockRegistry(repository);
		}

	}

}
