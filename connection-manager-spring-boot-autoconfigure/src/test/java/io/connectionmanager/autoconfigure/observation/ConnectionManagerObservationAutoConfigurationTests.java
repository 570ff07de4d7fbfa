package io.connectionmanager.autoconfigure.observation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.connectionmanager.autoconfigure.ConnectionManagerAutoConfiguration;
import io.connectionmanager.autoconfigure.observation.ConnectObservationContext.Outcome;
import io.connectionmanager.core.failure.ConnectionFailureException;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.event.ConnectionListener;
import io.connectionmanager.core.event.StateChange;
import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.test.server.TestWebSocketServer;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Connect attempts and outages of a connection to a real loopback WebSocket server, as
 * seen by a {@link TestObservationRegistry}: one observation per attempt, with the keys
 * of how it ended.
 */
class ConnectionManagerObservationAutoConfigurationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	/** Connect observations, once every handler before this one has seen them stop. */
	private final List<ConnectObservationContext> stopped = new CopyOnWriteArrayList<>();

	private TestWebSocketServer server;

	private ApplicationContextRunner runner;

	@BeforeEach
	void start() {
		this.registry.observationConfig().observationHandler(new ObservationHandler<ConnectObservationContext>() {

			@Override
			public void onStop(ConnectObservationContext context) {
				ConnectionManagerObservationAutoConfigurationTests.this.stopped.add(context);
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return context instanceof ConnectObservationContext;
			}

		});
		this.server = TestWebSocketServer.start();
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ConnectionManagerAutoConfiguration.class,
					ConnectionManagerObservationAutoConfiguration.class))
			.withBean(TestObservationRegistry.class, () -> this.registry)
			.withPropertyValues("connection-manager.runtime.threads=1",
					// A token in the query and a path: neither may reach a key.
					"connection-manager.connections.feed.url=" + this.server.uri("/v1/feed?token=s3cret"),
					"connection-manager.connections.feed.auto-startup=false",
					"connection-manager.defaults.reconnect.initial-delay=20ms",
					"connection-manager.defaults.reconnect.max-delay=50ms",
					"connection-manager.defaults.reconnect.jitter=none",
					"connection-manager.defaults.circuit-breaker.enabled=false");
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void aSuccessfulAttemptIsOneObservationWithOutcomeSuccess() {
		this.runner.run((context) -> {
			ManagedConnection feed = feed(context);
			feed.connect();
			await().atMost(TIMEOUT).until(() -> ended() == 1);
			assertThat(feed.state()).isEqualTo(ConnectionState.CONNECTED);
			assertThat(this.registry).hasNumberOfObservationsWithNameEqualTo("connection.manager.connect", 1)
				.hasNumberOfObservationsWithNameEqualTo("connection.manager.outage", 0)
				.hasObservationWithNameEqualTo("connection.manager.connect")
				.that()
				.hasBeenStarted()
				.hasBeenStopped()
				.hasContextualNameEqualTo("connect feed")
				.hasLowCardinalityKeyValue("connection", "feed")
				.hasLowCardinalityKeyValue("endpoint.host", "127.0.0.1")
				.hasLowCardinalityKeyValue("outcome", "SUCCESS")
				.hasLowCardinalityKeyValue("failure.kind", "NONE")
				.hasHighCardinalityKeyValue("connection.manager.attempt", "1")
				.doesNotHaveError()
				.doesNotHaveParentObservation();
			assertThat(attempts().get(0).getAllKeyValues()).extracting(KeyValue::getValue)
				.noneMatch((value) -> value.contains("s3cret") || value.contains("/v1"));
		});
	}

	@Test
	void eachAttemptRejectedWith503IsOneFailedObservation() {
		this.server.rejectUpgrades(503);
		this.runner.run((context) -> {
			ManagedConnection feed = feed(context);
			AtomicInteger connecting = countConnecting(feed);
			feed.connect();
			await().atMost(TIMEOUT).until(() -> ended() >= 3);
			feed.disconnect().join();
			await().atMost(TIMEOUT).until(() -> ended() == connecting.get());
			List<ConnectObservationContext> attempts = attempts();
			assertThat(attempts).hasSize(connecting.get());
			assertThat(this.server.handshakeCount()).isGreaterThanOrEqualTo(attempts.size() - 1);
			// Every attempt but a last one cut short by the disconnect was rejected.
			List<ConnectObservationContext> rejected = attempts.subList(0, attempts.size() - 1);
			assertThat(rejected).allSatisfy((attempt) -> {
				assertThat(attempt.getOutcome()).isEqualTo(Outcome.FAILURE);
				assertThat(attempt.getFailure().kind()).isEqualTo(FailureKind.UPGRADE_REJECTED);
				assertThat(attempt.getFailure().httpStatus()).isEqualTo(503);
				assertThat(attempt.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("FAILURE");
				assertThat(attempt.getLowCardinalityKeyValue("failure.kind").getValue()).isEqualTo("UPGRADE_REJECTED");
				assertThat(attempt.getError()).isInstanceOf(ConnectionFailureException.class);
			});
			assertThat(attempts.get(attempts.size() - 1).getOutcome()).isIn(Outcome.FAILURE, Outcome.CANCELLED);
			assertThat(attempts).extracting(ConnectObservationContext::getAttempt).startsWith(1, 2, 3).isSorted();
		});
	}

	@Test
	void aFatal401IsOneFailedObservationAndNoMore() {
		this.server.rejectUpgrades(401);
		this.runner.run((context) -> {
			ManagedConnection feed = feed(context);
			feed.connect();
			await().atMost(TIMEOUT).until(() -> feed.state() == ConnectionState.FATAL && ended() == 1);
			assertThat(this.registry).hasNumberOfObservationsWithNameEqualTo("connection.manager.connect", 1)
				.hasObservationWithNameEqualTo("connection.manager.connect")
				.that()
				.hasBeenStopped()
				.hasLowCardinalityKeyValue("outcome", "FAILURE")
				.hasLowCardinalityKeyValue("failure.kind", "UPGRADE_REJECTED")
				.hasError();
			assertThat(attempts().get(0).getFailure().httpStatus()).isEqualTo(401);
			assertThat(this.server.handshakeCount()).isEqualTo(1);
		});
	}

	@Test
	void anAttemptCutShortByADisconnectIsCancelled() {
		this.server.stallHandshakes(true);
		this.runner.run((context) -> {
			ManagedConnection feed = feed(context);
			feed.connect();
			await().atMost(TIMEOUT).until(() -> this.server.handshakeCount() == 1 && attempts().size() == 1);
			assertThat(attempts().get(0).getOutcome()).isEqualTo(Outcome.UNKNOWN);
			feed.disconnect().join();
			await().atMost(TIMEOUT).until(() -> ended() == 1);
			assertThat(this.registry).hasObservationWithNameEqualTo("connection.manager.connect")
				.that()
				.hasLowCardinalityKeyValue("outcome", "CANCELLED")
				.doesNotHaveError();
		});
	}

	@Test
	void anOutageLastsFromTheLossUntilConnectedAgainAndParentsItsAttempts() {
		this.runner.run((context) -> {
			ManagedConnection feed = feed(context);
			feed.connect();
			await().atMost(TIMEOUT).until(() -> ended() == 1);
			this.server.rejectUpgrades(503);
			this.server.closeAll(1011, "restarting");
			await().atMost(TIMEOUT).until(() -> ended() >= 3);
			assertThat(this.registry).hasNumberOfObservationsWithNameEqualTo("connection.manager.outage", 1)
				.hasObservationWithNameEqualTo("connection.manager.outage")
				.that()
				.hasBeenStarted()
				.isNotStopped()
				.hasLowCardinalityKeyValue("connection", "feed")
				.hasLowCardinalityKeyValue("endpoint.host", "127.0.0.1")
				.hasLowCardinalityKeyValue("failure.kind", "CLOSED_BY_PEER");
			this.server.acceptUpgrades();
			await().atMost(TIMEOUT).until(() -> feed.state() == ConnectionState.CONNECTED);
			await().atMost(TIMEOUT)
				.untilAsserted(
						() -> assertThat(this.registry).hasObservationWithNameEqualTo("connection.manager.outage")
							.that()
							.hasBeenStopped()
							.hasContextualNameEqualTo("outage feed")); // named when it
																		// stops
			List<ConnectObservationContext> attempts = attempts();
			assertThat(attempts.get(0).getParentObservation()).isNull();
			assertThat(attempts.subList(1, attempts.size()))
				.allSatisfy((attempt) -> assertThat(attempt.getParentObservation().getContextView().getContextualName())
					.isEqualTo("outage feed"));
			assertThat(attempts.get(attempts.size() - 1).getOutcome()).isEqualTo(Outcome.SUCCESS);
		});
	}

	@Test
	void aConventionBeanReplacesTheDefault() {
		this.runner.withBean(ConnectObservationConvention.class, () -> new DefaultConnectObservationConvention() {

			@Override
			public String getName() {
				return "feed.connect";
			}

		}).run((context) -> {
			feed(context).connect();
			await().atMost(TIMEOUT).until(() -> ended() == 1);
			assertThat(this.registry).hasNumberOfObservationsWithNameEqualTo("connection.manager.connect", 0)
				.hasObservationWithNameEqualTo("feed.connect")
				.that()
				.hasLowCardinalityKeyValue("outcome", "SUCCESS");
		});
	}

	@Test
	void withMicrometerTracingEachAttemptIsASpan() {
		SimpleTracer tracer = new SimpleTracer();
		this.registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
		this.runner.run((context) -> {
			feed(context).connect();
			// onlySpan() also checks that the span was started and ended.
			await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
				SimpleSpan span = tracer.onlySpan();
				assertThat(span.getName()).isEqualTo("connect feed");
				assertThat(span.getTags()).containsEntry("outcome", "SUCCESS")
					.containsEntry("connection", "feed")
					.containsEntry("connection.manager.attempt", "1");
			});
		});
	}

	@Test
	void withBootsObservationRegistryAttemptsBecomeTimers() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
					ConnectionManagerAutoConfiguration.class, ConnectionManagerObservationAutoConfiguration.class))
			.withPropertyValues("connection-manager.runtime.threads=1",
					"connection-manager.connections.feed.url=" + this.server.uri("/feed"),
					"connection-manager.connections.feed.auto-startup=false")
			.run((context) -> {
				assertThat(context).hasSingleBean(ConnectionObservationCustomizer.class);
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				feed(context).connect();
				// find(), not get(): the timer appears only when the attempt ends.
				await().atMost(TIMEOUT)
					.until(() -> meters.find("connection.manager.connect").tag("outcome", "SUCCESS").timer() != null);
				assertThat(meters.get("connection.manager.connect")
					.tag("connection", "feed")
					.tag("endpoint.host", "127.0.0.1")
					.tag("failure.kind", "NONE")
					.timer()
					.count()).isEqualTo(1);
				assertThat(meters.get("connection.manager.connect.active").longTaskTimer().activeTasks()).isZero();
			});
	}

	@Test
	void bootsPropertyTurnsTheObservationsOff() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
					ConnectionManagerAutoConfiguration.class, ConnectionManagerObservationAutoConfiguration.class))
			.withPropertyValues("management.observations.enable.connection.manager=false",
					"connection-manager.runtime.threads=1",
					"connection-manager.connections.feed.url=" + this.server.uri("/feed"),
					"connection-manager.connections.feed.auto-startup=false")
			.run((context) -> {
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				ManagedConnection feed = feed(context);
				AtomicInteger connected = new AtomicInteger();
				feed.addListener(new ConnectionListener() {

					@Override
					public void onStateChanged(StateChange change) {
						if (change.current() == ConnectionState.CONNECTED) {
							connected.incrementAndGet();
						}
					}

				});
				feed.connect();
				// Listeners run in order: once this one saw CONNECTED, the observer had
				// too.
				await().atMost(TIMEOUT).until(() -> connected.get() == 1);
				assertThat(meters.find("connection.manager.connect").meters()).isEmpty();
			});
	}

	@Test
	void withoutAnObservationRegistryNothingIsObserved() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ConnectionManagerAutoConfiguration.class,
					ConnectionManagerObservationAutoConfiguration.class))
			.withPropertyValues("connection-manager.connections.feed.url=ws://127.0.0.1:1/unused",
					"connection-manager.connections.feed.auto-startup=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ConnectionObservationCustomizer.class));
	}

	@Test
	void withConnectionManagementDisabledNothingIsObserved() {
		this.runner.withPropertyValues("connection-manager.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ConnectionObservationCustomizer.class));
	}

	private static ManagedConnection feed(AssertableApplicationContext context) {
		return context.getBean("feed", ManagedConnection.class);
	}

	private List<ConnectObservationContext> attempts() {
		List<ConnectObservationContext> attempts = new ArrayList<>();
		assertThat(this.registry).hasHandledContextsThatSatisfy((contexts) -> contexts.stream()
			.filter(ConnectObservationContext.class::isInstance)
			.map(ConnectObservationContext.class::cast)
			.forEach(attempts::add));
		return attempts;
	}

	private int ended() {
		return this.stopped.size();
	}

	private static AtomicInteger countConnecting(ManagedConnection connection) {
		AtomicInteger connecting = new AtomicInteger();
		connection.addListener(new ConnectionListener() {

			@Override
			public void onStateChanged(StateChange change) {
				if (change.current() == ConnectionState.CONNECTING) {
					connecting.incrementAndGet();
				}
			}

		});
		return connecting;
	}

}
