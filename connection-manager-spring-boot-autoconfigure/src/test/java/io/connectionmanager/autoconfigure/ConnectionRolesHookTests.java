package io.connectionmanager.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.connectionmanager.actuate.endpoint.ConnectionsEndpoint;
import io.connectionmanager.autoconfigure.diagnostics.ExclusiveModeUnavailableFailureAnalyzer;
import io.connectionmanager.autoconfigure.endpoint.ConnectionsEndpointAutoConfiguration;
import io.connectionmanager.autoconfigure.health.ConnectionManagerHealthContributorAutoConfiguration;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The hooks through which a cluster module runs exclusive connections: the lifecycle
 * leaves them alone (and refuses to start without a {@link ConnectionRoles} bean), health
 * reports a standby as UP or, without its lock store, UNKNOWN, and the endpoint shows the
 * role and routes {@code yield}.
 */
class ConnectionRolesHookTests {

	private static TestWebSocketServer server;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ConnectionManagerAutoConfiguration.class,
				ConnectionManagerHealthContributorAutoConfiguration.class, ConnectionsEndpointAutoConfiguration.class))
		.withPropertyValues("connection-manager.runtime.threads=1",
				"management.endpoints.web.exposure.include=connections");

	@BeforeAll
	static void startServer() {
		server = TestWebSocketServer.start();
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Test
	void clusterKeysAreBoundWithTheirDefaults() {
		this.runner
			.withPropertyValues("connection-manager.defaults.cluster.mode=exclusive",
					"connection-manager.defaults.cluster.role=ignored",
					"connection-manager.connections.feed.url=" + server.uri("/feed"),
					"connection-manager.connections.other.url=" + server.uri("/other"),
					"connection-manager.connections.other.cluster.mode=everywhere",
					"connection-manager.connections.other.cluster.role=shared/other",
					"connection-manager.connections.other.auto-startup=false")
			.withBean(ConnectionRoles.class, StubRoles::new)
			.run((context) -> {
				ConnectionDefinitions definitions = context.getBean(ConnectionDefinitions.class);
				assertThat(definitions.get("feed").cluster()).isEqualTo(new ClusterSettings(ClusterMode.EXCLUSIVE,
						"connection-manager/feed", false, ResumeStoreType.MEMORY));
				assertThat(definitions.get("other").cluster()).isEqualTo(
						new ClusterSettings(ClusterMode.EVERYWHERE, "shared/other", false, ResumeStoreType.MEMORY));
			});
	}

	@Test
	void exclusiveConnectionWithoutRolesStopsStartUpSayingWhatToAdd() {
		this.runner.withPropertyValues(exclusive("feed")).run((context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			ExclusiveModeUnavailableException cause = findCause(failure);
			assertThat(cause.getConnections()).containsExactly("feed");
			FailureAnalysis analysis = new ExclusiveModeUnavailableFailureAnalyzer().analyze(failure);
			assertThat(analysis.getDescription()).contains("[feed]", "cluster.mode: exclusive");
			assertThat(analysis.getAction()).contains("connection-manager-cluster", "LockRegistry", "RedisLockRegistry",
					"JdbcLockRegistry");
		});
	}

	@Test
	void sharedResumeStoreWithoutAProviderStopsStartUpNamingTheProperty() {
		this.runner
			.withPropertyValues("connection-manager.connections.feed.url=" + server.uri("/feed"),
					"connection-manager.connections.feed.resume.enabled=true",
					"connection-manager.connections.feed.resume.store=redis")
			.run((context) -> {
				assertThat(context).hasFailed();
				Throwable failure = context.getStartupFailure();
				while (failure != null && !(failure instanceof InvalidConnectionPropertyException)) {
					failure = failure.getCause();
				}
				assertThat(failure).isInstanceOf(InvalidConnectionPropertyException.class);
				InvalidConnectionPropertyException invalid = (InvalidConnectionPropertyException) failure;
				assertThat(invalid.getProperty()).isEqualTo("connection-manager.connections.feed.resume.store");
				assertThat(invalid.getReason()).contains("connection-manager-cluster", "RedisConnectionFactory");
			});
		this.runner
			.withPropertyValues("connection-manager.connections.feed.url=" + server.uri("/feed"),
					"connection-manager.connections.feed.auto-startup=false",
					"connection-manager.connections.feed.resume.enabled=true",
					"connection-manager.connections.feed.resume.store=jdbc")
			.withBean(SharedResumeStores.class, () -> new SharedResumeStores() {
				@Override
				public boolean supports(ResumeStoreType type) {
					return type == ResumeStoreType.JDBC;
				}

				@Override
				public void customize(io.connectionmanager.core.config.ConnectionSettings settings,
						io.connectionmanager.core.ManagedConnectionBuilder builder) {
				}
			})
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(ConnectionDefinitions.class).get("feed").cluster().resumeStore())
					.isEqualTo(ResumeStoreType.JDBC);
			});
	}

	@Test
	void lifecycleLeavesExclusiveConnectionsToTheRolesAndStartsTheOthers() {
		this.runner.withPropertyValues(exclusive("feed"))
			.withPropertyValues("connection-manager.connections.plain.url=" + server.uri("/plain"))
			.withBean(ConnectionRoles.class, StubRoles::new)
			.run((context) -> {
				ManagedConnection plain = context.getBean("plain", ManagedConnection.class);
				ManagedConnection feed = context.getBean("feed", ManagedConnection.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> plain.state() == ConnectionState.CONNECTED);
				// Ordering, not a time window: plain connected, feed was never asked to.
				assertThat(feed.state()).isEqualTo(ConnectionState.DISCONNECTED);
				assertThat(feed.snapshot().attempt()).isZero();
			});
	}

	@Test
	void healthShowsTheRoleStandbyIsUpOrUnknownWithoutItsLockStore() {
		this.runner.withPropertyValues(exclusive("feed"))
			.withBean(ConnectionRoles.class, StubRoles::new)
			.run((context) -> {
				StubRoles roles = (StubRoles) context.getBean(ConnectionRoles.class);
				CompositeHealthContributor composite = context.getBean("connectionsHealthContributor",
						CompositeHealthContributor.class);
				roles.current = new ConnectionRole(ConnectionRole.STANDBY, "connection-manager/feed", null, true);
				Health standby = health(composite);
				assertThat(standby.getStatus()).isEqualTo(Status.UP);
				assertThat(standby.getDetails()).containsEntry("role", "standby")
					.containsEntry("state", "DISCONNECTED")
					.containsEntry("lockStore", "reachable");

				roles.current = new ConnectionRole(ConnectionRole.STANDBY, "connection-manager/feed", null, false);
				assertThat(health(composite).getStatus()).isEqualTo(Status.UNKNOWN);

				// A leader is judged by its state like any connection: not connected is
				// DOWN.
				roles.current = new ConnectionRole(ConnectionRole.LEADER, "connection-manager/feed", "replica-1", true);
				Health leader = health(composite);
				assertThat(leader.getStatus()).isEqualTo(Status.DOWN);
				assertThat(leader.getDetails()).containsEntry("role", "leader").containsEntry("holder", "replica-1");
			});
	}

	@Test
	void endpointShowsTheRoleRoutesYieldAndRefusesToConnectAStandby() {
		this.runner.withPropertyValues(exclusive("feed"))
			.withPropertyValues("connection-manager.connections.plain.url=" + server.uri("/p"),
					"connection-manager.connections.plain.auto-startup=false")
			.withBean(ConnectionRoles.class, StubRoles::new)
			.run((context) -> {
				StubRoles roles = (StubRoles) context.getBean(ConnectionRoles.class);
				ConnectionsEndpoint endpoint = context.getBean(ConnectionsEndpoint.class);
				roles.current = new ConnectionRole(ConnectionRole.LEADER, "connection-manager/feed", "replica-1", true);
				Map<String, Object> status = endpoint.connection("feed");
				assertThat(status).containsEntry("role", "leader")
					.containsEntry("roleKey", "connection-manager/feed")
					.containsEntry("holder", "replica-1");
				assertThat(endpoint.connection("plain")).doesNotContainKey("role");

				endpoint.perform("feed", "yield");
				assertThat(roles.handedOver).containsExactly("feed");
				assertThatIllegalArgumentException().isThrownBy(() -> endpoint.perform("plain", "yield"))
					.withMessageContaining("exclusive");

				roles.current = new ConnectionRole(ConnectionRole.STANDBY, "connection-manager/feed", null, true);
				assertThatIllegalStateException().isThrownBy(() -> endpoint.perform("feed", "connect"))
					.withMessageContaining("held by another replica");
				assertThat(context.getBean("feed", ManagedConnection.class).snapshot().attempt()).isZero();
			});
	}

	private static String[] exclusive(String name) {
		return new String[] { "connection-manager.connections." + name + ".url=" + server.uri("/" + name),
				"connection-manager.connections." + name + ".cluster.mode=exclusive" };
	}

	private static Health health(CompositeHealthContributor composite) {
		return ((HealthIndicator) composite.getContributor("feed")).health();
	}

	private static ExclusiveModeUnavailableException findCause(Throwable failure) {
		Throwable candidate = failure;
		while (candidate != null && !(candidate instanceof ExclusiveModeUnavailableException)) {
			candidate = candidate.getCause();
		}
		assertThat(candidate).as("cause of %s", failure).isNotNull();
		return (ExclusiveModeUnavailableException) candidate;
	}

	/** Roles set by the test; only "feed" is exclusive. */
	static class StubRoles implements ConnectionRoles {

		volatile ConnectionRole current = new ConnectionRole(ConnectionRole.STANDBY, "connection-manager/feed", null,
				true);

		final List<String> handedOver = new ArrayList<>();

		@Override
		public ConnectionRole role(String connection) {
			return "feed".equals(connection) ? this.current : null;
		}

		@Override
		public void handOver(String connection) {
			this.handedOver.add(connection);
		}

	}

}
