package io.connectionmanager.autoconfigure.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.connectionmanager.actuate.endpoint.ConnectionsEndpoint;
import io.connectionmanager.autoconfigure.ConnectionManagerAutoConfiguration;
import io.connectionmanager.autoconfigure.ConnectionProperties;
import io.connectionmanager.autoconfigure.ConnectionRegistry;
import io.connectionmanager.autoconfigure.endpoint.ConnectionsEndpointAutoConfiguration;
import io.connectionmanager.autoconfigure.health.ConnectionManagerHealthContributorAutoConfiguration;
import io.connectionmanager.autoconfigure.metrics.ConnectionManagerMetricsAutoConfiguration;
import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.event.ConnectionStateChangedEvent;
import io.connectionmanager.test.server.TestWebSocketServer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Connections added and removed while the application runs: defaults merged, health,
 * endpoint, meters and events like a configured connection (also when none is
 * configured), started again with the context, a 1000 close on removal, and nothing left
 * behind after 100 of them come and go.
 */
class ConnectionRegistryTests {

	private static final int CONNECTIONS = 100;

	private static TestWebSocketServer server;

	private final List<ConnectionStateChangedEvent> events = new CopyOnWriteArrayList<>();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ConnectionManagerAutoConfiguration.class,
				ConnectionManagerHealthContributorAutoConfiguration.class, ConnectionsEndpointAutoConfiguration.class,
				ConnectionManagerMetricsAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withBean("stateEvents", ApplicationListener.class,
				() -> (ApplicationListener<ConnectionStateChangedEvent>) this.events::add)
		.withPropertyValues("connection-manager.runtime.threads=1",
				"management.endpoints.web.exposure.include=connections",
				"connection-manager.defaults.connect-timeout=7s", "connection-manager.defaults.heartbeat.interval=11s");

	@BeforeAll
	static void startServer() {
		server = TestWebSocketServer.start();
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	/**
	 * Tenant keys as an application would bind them, e.g. from its own property source.
	 */
	private static ConnectionProperties tenant(Map<String, String> keys) {
		return new Binder(new MapConfigurationPropertySource(keys)).bindOrCreate("",
				Bindable.of(ConnectionProperties.class));
	}

	private static ConnectionProperties tenant(String path) {
		return tenant(Map.of("url", server.uri(path).toString(), "critical", "false"));
	}

	@Test
	void aRegisteredConnectionIsLikeAConfiguredOne() {
		this.runner.withPropertyValues("connection-manager.connections.configured.url=" + server.uri("/configured"))
			.run((context) -> {
				ConnectionRegistry registry = context.getBean(ConnectionRegistry.class);
				List<String> received = new CopyOnWriteArrayList<>();
				ManagedConnection tenant = registry.register("tenant-1",
						tenant(Map.of("url", server.uri("/tenant-1").toString(), "heartbeat.interval", "13s")),
						new ConnectionHandler() {
							@Override
							public void onMessage(Message message) {
								received.add(((Message.Text) message).text());
							}
						});
				await().atMost(Duration.ofSeconds(10)).until(() -> tenant.state() == ConnectionState.CONNECTED);
				// defaults merged under its own keys
				assertThat(tenant.settings().connectTimeout()).isEqualTo(Duration.ofSeconds(7));
				assertThat(tenant.settings().heartbeat().interval()).isEqualTo(Duration.ofSeconds(13));
				// a bean, with health, endpoint entry, meters, events and its handler
				assertThat(context.getBean("tenant-1")).isSameAs(tenant);
				assertThat(health(context).getContributor("tenant-1")).isInstanceOf(HealthIndicator.class);
				assertThat(((HealthIndicator) health(context).getContributor("tenant-1")).health().getStatus())
					.isEqualTo(Status.UP);
				assertThat(context.getBean(ConnectionsEndpoint.class).connection("tenant-1")).containsEntry("state",
						"CONNECTED");
				assertThat(context.getBean(MeterRegistry.class)
					.get("connection.manager.state")
					.tag("connection", "tenant-1")
					.tag("state", "CONNECTED")
					.gauge()
					.value()).isEqualTo(1);
				assertThat(this.events).anySatisfy((event) -> {
					assertThat(event.getConnectionName()).isEqualTo("tenant-1");
					assertThat(event.getCurrent()).isEqualTo(ConnectionState.CONNECTED);
				});
				tenant.send("hello tenant");
				await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("hello tenant"));
				assertThatExceptionOfType(IllegalStateException.class)
					.isThrownBy(() -> registry.register("configured", tenant("/again"), null));
				assertThatExceptionOfType(IllegalStateException.class)
					.isThrownBy(() -> registry.register("tenant-1", tenant("/again"), null));
				assertThatExceptionOfType(IllegalArgumentException.class)
					.isThrownBy(() -> registry.unregister("configured"));
				assertThat(registry.unregister("nobody").join()).isFalse();
			});
	}

	@Test
	void aHundredConnectionsComeAndGoWithoutLeavingAnythingBehind() {
		this.runner.withPropertyValues("connection-manager.connections.configured.url=" + server.uri("/configured"))
			.run((context) -> {
				ConnectionRegistry registry = context.getBean(ConnectionRegistry.class);
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				// as Boot's metrics auto-configuration does
				context.getBeansOfType(MeterBinder.class).values().forEach((binder) -> binder.bindTo(meters));
				ConnectionsEndpoint endpoint = context.getBean(ConnectionsEndpoint.class);
				// warm-up: the runtime's threads exist once one connection has run
				ManagedConnection warmUp = registry.register("warm-up", tenant("/warm-up"), null);
				await().atMost(Duration.ofSeconds(10)).until(() -> warmUp.state() == ConnectionState.CONNECTED);
				registry.unregister("warm-up").join();
				Set<String> threadsBefore = threadsBesidesHandlerPool();
				int closesBefore = closes1000();

				List<String> names = IntStream.range(0, CONNECTIONS).mapToObj((i) -> "tenant-" + i).toList();
				List<ManagedConnection> tenants = new ArrayList<>();
				names.forEach((name) -> tenants.add(registry.register(name, tenant("/" + name), null)));
				await().atMost(Duration.ofSeconds(30))
					.until(() -> tenants.stream().allMatch((c) -> c.state() == ConnectionState.CONNECTED));
				assertThat(registry.names()).containsExactlyInAnyOrderElementsOf(names);
				assertThat(healthNames(context)).containsAll(names).contains("configured").hasSize(CONNECTIONS + 1);
				assertThat(endpoint.connections().connections()).containsKeys(names.toArray(String[]::new));
				assertThat(metered(meters)).containsAll(names);
				assertThat(breakers(meters)).containsAll(names);
				// not critical: UNKNOWN rather than DOWN while not connected
				assertThat(registry.isCritical("tenant-0")).isFalse();

				CompletableFuture.allOf(names.stream().map(registry::unregister).toArray(CompletableFuture[]::new))
					.join();
				assertThat(tenants).allMatch(ManagedConnection::isClosed);
				assertThat(registry.names()).isEmpty();
				assertThat(healthNames(context)).containsExactly("configured");
				assertThat(endpoint.connections().connections()).containsOnlyKeys("configured");
				assertThat(metered(meters)).containsExactly("configured");
				assertThat(breakers(meters)).containsExactly("configured");
				assertThat(names).noneMatch(context::containsBean);
				// each closed with a normal closure
				await().atMost(Duration.ofSeconds(10)).until(() -> closes1000() - closesBefore == CONNECTIONS);
				// no thread per connection: the pool may keep a few idle threads at most
				// no thread per connection: apart from the shared handler pool, which
				// grows
				// while handlers are busy and retires idle threads after its keep-alive,
				// the
				// same threads as before
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(threadsBesidesHandlerPool()).isEqualTo(threadsBefore));
				assertThat(handlerPoolThreads()).isLessThan(CONNECTIONS / 4);
			});
	}

	/**
	 * All connections registered at run time, none configured: the health component and
	 * the endpoint exist from the start and show them.
	 */
	@Test
	void healthAndEndpointExistWithoutConfiguredConnectionsAndShowRegisteredOnes() {
		this.runner
			.withConfiguration(AutoConfigurations.of(HealthContributorRegistryAutoConfiguration.class,
					HealthEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=connections,health")
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasBean("connectionsHealthContributor")
					.hasSingleBean(ConnectionsEndpoint.class);
				assertThat(healthNames(context)).isEmpty();
				assertThat(healthEndpointComponents(context)).doesNotContainKey("connections");
				ManagedConnection tenant = context.getBean(ConnectionRegistry.class)
					.register("tenant-1", tenant(Map.of("url", server.uri("/tenant-1").toString())), null);
				await().atMost(Duration.ofSeconds(10)).until(() -> tenant.state() == ConnectionState.CONNECTED);
				assertThat(healthNames(context)).containsExactly("tenant-1");
				assertThat(((CompositeHealthDescriptor) healthEndpointComponents(context).get("connections"))
					.getComponents()).containsOnlyKeys("tenant-1");
				assertThat(context.getBean(ConnectionsEndpoint.class).connection("tenant-1")).containsEntry("state",
						"CONNECTED");
			});
	}

	@Test
	void registeredConnectionsStartAgainAfterTheContextStopsAndStarts() {
		this.runner.run((context) -> {
			ConnectionRegistry registry = context.getBean(ConnectionRegistry.class);
			ManagedConnection automatic = registry.register("automatic", tenant("/automatic"), null);
			ManagedConnection manual = registry.register("manual",
					tenant(Map.of("url", server.uri("/manual").toString(), "auto-startup", "false")), null);
			await().atMost(Duration.ofSeconds(10)).until(() -> automatic.state() == ConnectionState.CONNECTED);
			assertThat(manual.state()).isEqualTo(ConnectionState.DISCONNECTED);
			context.stop();
			assertThat(automatic.state()).isEqualTo(ConnectionState.DISCONNECTED);
			int handshakes = server.handshakeCount();
			context.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> automatic.state() == ConnectionState.CONNECTED);
			assertThat(server.handshakeCount()).isEqualTo(handshakes + 1);
			// its own auto-startup: false holds on a restart too
			assertThat(manual.state()).isEqualTo(ConnectionState.DISCONNECTED);
		});
	}

	private static Set<String> threadsBesidesHandlerPool() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.map(Thread::getName)
			// the handler pool, and threads that come and go on their own (Netty's global
			// executor, the test's polling)
			.filter((name) -> !name.startsWith("connection-manager-handler") && !name.startsWith("globalEventExecutor")
					&& !name.startsWith("awaitility"))
			.collect(Collectors.toSet());
	}

	private static long handlerPoolThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().startsWith("connection-manager-handler"))
			.count();
	}

	private static int closes1000() {
		return (int) server.closeCodesReceived().stream().filter((code) -> code == 1000).count();
	}

	private static CompositeHealthContributor health(
			org.springframework.boot.test.context.assertj.AssertableApplicationContext context) {
		return context.getBean("connectionsHealthContributor", CompositeHealthContributor.class);
	}

	private static List<String> healthNames(
			org.springframework.boot.test.context.assertj.AssertableApplicationContext context) {
		return health(context).stream().map(HealthContributors.Entry::name).toList();
	}

	/** The components of {@code /actuator/health}. */
	private static Map<String, HealthDescriptor> healthEndpointComponents(
			org.springframework.boot.test.context.assertj.AssertableApplicationContext context) {
		HealthDescriptor health = context.getBean(HealthEndpoint.class).health();
		return (health instanceof CompositeHealthDescriptor composite) ? composite.getComponents() : Map.of();
	}

	private static Set<String> metered(MeterRegistry meters) {
		return meters.getMeters()
			.stream()
			.map(Meter::getId)
			.filter((id) -> id.getName().startsWith("connection.manager."))
			.map((id) -> id.getTag("connection"))
			.collect(Collectors.toSet());
	}

	private static Set<String> breakers(MeterRegistry meters) {
		return meters.getMeters()
			.stream()
			.map(Meter::getId)
			.filter((id) -> id.getName().startsWith("resilience4j.circuitbreaker."))
			.map((id) -> id.getTag("name"))
			.collect(Collectors.toSet());
	}

}
