package io.connectionmanager.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.connectionmanager.core.handler.AuthenticationContext;
import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.backoff.Jitter;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.Framing;
import io.connectionmanager.core.config.OutboundSettings;
import io.connectionmanager.core.config.ResumeSettings;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.event.ConnectionStateChangedEvent;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.connectionmanager.autoconfigure.testing.AutoConfigurationTesting;
import io.connectionmanager.autoconfigure.testing.AutoConfigurationTesting.SharedServer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.ConfigurationPropertiesBean;
import org.springframework.boot.context.properties.bind.BindMethod;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ConnectionManagerAutoConfigurationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@RegisterExtension
	static final SharedServer server = new SharedServer();

	private final ApplicationContextRunner runner = AutoConfigurationTesting.runner();

	private static String url() {
		return server.get().uri("/stream").toString();
	}

	@Test
	void infrastructureWithoutConnections() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(ConnectionRuntime.class)
				.hasSingleBean(ConnectionManagerLifecycle.class)
				.hasSingleBean(ManagedConnectionFactory.class)
				.hasSingleBean(ConnectionCircuitBreakers.class)
				.hasSingleBean(ConnectionDefinitions.class)
				.doesNotHaveBean(ManagedConnection.class);
			assertThat(context.getBean(ConnectionRuntime.class).threads()).isEqualTo(1);
		});
	}

	@Test
	void masterSwitchOffCreatesNothing() {
		this.runner
			.withPropertyValues("connection-manager.enabled=false",
					"connection-manager.connections.market-data.url=" + url())
			.run((context) -> assertThat(context).doesNotHaveBean(ConnectionRuntime.class)
				.doesNotHaveBean(ManagedConnection.class)
				.doesNotHaveBean(ConnectionManagerLifecycle.class)
				.doesNotHaveBean(ConnectionDefinitions.class));
	}

	@Test
	void oneBeanPerConnectionNamedAfterItInjectableByQualifier() {
		this.runner
			.withPropertyValues("connection-manager.connections.market-data.url=" + url(),
					"connection-manager.connections.market-data.auto-startup=false",
					"connection-manager.connections.orders.url=" + url(),
					"connection-manager.connections.orders.auto-startup=false")
			.withUserConfiguration(QualifiedInjection.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBeansOfType(ManagedConnection.class)).containsOnlyKeys("market-data", "orders");
				assertThat(context.getBean(QualifiedInjection.class).connection.name()).isEqualTo("market-data");
			});
	}

	@Test
	void defaultsMergeUnderEveryConnection() {
		this.runner
			.withPropertyValues("connection-manager.defaults.heartbeat.interval=20s",
					"connection-manager.defaults.reconnect.max-delay=1m",
					"connection-manager.defaults.headers.User-Agent=feed-client",
					"connection-manager.defaults.headers.X-Env=test", "connection-manager.defaults.critical=false",
					"connection-manager.connections.feed.url=" + url(),
					"connection-manager.connections.feed.heartbeat.timeout=3s",
					"connection-manager.connections.feed.headers.X-Env=prod",
					"connection-manager.connections.other.url=" + url(),
					"connection-manager.connections.other.reconnect.max-delay=5s",
					"connection-manager.connections.other.critical=true")
			.run((context) -> {
				ConnectionDefinitions definitions = context.getBean(ConnectionDefinitions.class);
				ConnectionSettings feed = definitions.get("feed").settings();
				assertThat(feed.heartbeat().interval()).isEqualTo(Duration.ofSeconds(20));
				assertThat(feed.heartbeat().timeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(feed.reconnect().maxDelay()).isEqualTo(Duration.ofMinutes(1));
				assertThat(feed.reconnect().initialDelay()).isEqualTo(Duration.ofSeconds(1));
				assertThat(feed.headers())
					.containsExactlyInAnyOrderEntriesOf(Map.of("User-Agent", "feed-client", "X-Env", "prod"));
				assertThat(definitions.get("feed").critical()).isFalse();
				ConnectionSettings other = definitions.get("other").settings();
				assertThat(other.heartbeat().interval()).isEqualTo(Duration.ofSeconds(20));
				assertThat(other.heartbeat().timeout()).isEqualTo(Duration.ofSeconds(10));
				assertThat(other.reconnect().maxDelay()).isEqualTo(Duration.ofSeconds(5));
				assertThat(definitions.get("other").critical()).isTrue();
			});
	}

	@Test
	void durationsAcceptSimpleAndIsoForms() {
		this.runner
			.withPropertyValues("connection-manager.connections.a.url=" + url(),
					"connection-manager.connections.a.connect-timeout=500ms",
					"connection-manager.connections.b.url=" + url(),
					"connection-manager.connections.b.connect-timeout=PT0.5S")
			.run((context) -> {
				ConnectionDefinitions definitions = context.getBean(ConnectionDefinitions.class);
				assertThat(definitions.get("a").settings().connectTimeout()).isEqualTo(Duration.ofMillis(500));
				assertThat(definitions.get("b").settings().connectTimeout()).isEqualTo(Duration.ofMillis(500));
			});
	}

	@Test
	void everyKeyBinds() {
		String p = "connection-manager.connections.feed.";
		this.runner.withPropertyValues(p + "url=" + url(), p + "framing=length-prefixed", p + "auto-startup=false",
				p + "authentication-timeout=2s", p + "shutdown-timeout=1s", p + "subprotocols=v2.feed,v1.feed",
				p + "reconnect.initial-delay=200ms", p + "reconnect.multiplier=1.5",
				p + "reconnect.jitter=decorrelated", p + "reconnect.max-attempts=7", p + "reconnect.reset-after=1m",
				p + "heartbeat.enabled=false", p + "circuit-breaker.failure-rate-threshold=25",
				p + "circuit-breaker.minimum-number-of-calls=3", p + "circuit-breaker.sliding-window-size=6",
				p + "circuit-breaker.wait-duration-in-open-state=10s",
				p + "circuit-breaker.permitted-number-of-calls-in-half-open-state=2",
				p + "circuit-breaker.randomized-wait-factor=0.2", p + "resume.fsync=true",
				p + "outbound.when-disconnected=buffer", p + "outbound.buffer-size=50",
				p + "outbound.buffer-bytes=64KB", p + "outbound.overflow=drop-oldest",
				p + "inbound.max-message-size=2MB", p + "inbound.max-queued-messages=10",
				p + "inbound.max-queued-bytes=1MB", p + "resume.enabled=true", p + "resume.store=file",
				p + "resume.directory=target/resume", p + "resume.carrier=header", p + "resume.name=Resume-From",
				p + "tls.trust-store-type=JKS", p + "tls.verify-hostname=false", p + "tls.server-name=feed.internal",
				p + "failure.fatal-http-statuses=401,403,404", p + "failure.fatal-close-codes=1008,4001")
			.run((context) -> {
				ConnectionDefinition definition = context.getBean(ConnectionDefinitions.class).get("feed");
				ConnectionSettings settings = definition.settings();
				assertThat(definition.autoStartup()).isFalse();
				assertThat(settings.framing()).isEqualTo(Framing.LENGTH_PREFIXED);
				assertThat(settings.authenticationTimeout()).isEqualTo(Duration.ofSeconds(2));
				assertThat(settings.shutdownTimeout()).isEqualTo(Duration.ofSeconds(1));
				assertThat(settings.subprotocols()).containsExactly("v2.feed", "v1.feed");
				assertThat(settings.reconnect().initialDelay()).isEqualTo(Duration.ofMillis(200));
				assertThat(settings.reconnect().multiplier()).isEqualTo(1.5);
				assertThat(settings.reconnect().jitter()).isEqualTo(Jitter.DECORRELATED);
				assertThat(settings.reconnect().maxAttempts()).isEqualTo(7);
				assertThat(settings.reconnect().resetAfter()).isEqualTo(Duration.ofMinutes(1));
				assertThat(settings.heartbeat().enabled()).isFalse();
				assertThat(settings.circuitBreaker().failureRateThreshold()).isEqualTo(25f);
				assertThat(settings.circuitBreaker().minimumNumberOfCalls()).isEqualTo(3);
				assertThat(settings.circuitBreaker().slidingWindowSize()).isEqualTo(6);
				assertThat(settings.circuitBreaker().waitDurationInOpenState()).isEqualTo(Duration.ofSeconds(10));
				assertThat(settings.circuitBreaker().permittedNumberOfCallsInHalfOpenState()).isEqualTo(2);
				assertThat(settings.circuitBreaker().randomizedWaitFactor()).isEqualTo(0.2);
				assertThat(settings.outbound()).isEqualTo(new OutboundSettings(OutboundSettings.WhenDisconnected.BUFFER,
						50, 64 * 1024, OutboundSettings.Overflow.DROP_OLDEST));
				assertThat(settings.inbound().maxMessageSize()).isEqualTo(2 * 1024 * 1024);
				assertThat(settings.inbound().maxQueuedMessages()).isEqualTo(10);
				assertThat(settings.inbound().maxQueuedBytes()).isEqualTo(1024 * 1024);
				assertThat(settings.resume().enabled()).isTrue();
				assertThat(settings.resume().store()).isEqualTo(ResumeSettings.Store.FILE);
				assertThat(settings.resume().directory()).hasToString("target/resume");
				assertThat(settings.resume().carrier()).isEqualTo(ResumeSettings.Carrier.HEADER);
				assertThat(settings.resume().name()).isEqualTo("Resume-From");
				assertThat(settings.resume().fsync()).isTrue();
				assertThat(settings.tls().trustStoreType()).isEqualTo("JKS");
				assertThat(settings.tls().verifyHostname()).isFalse();
				assertThat(settings.tls().serverName()).isEqualTo("feed.internal");
				assertThat(settings.failurePolicy().fatalHttpStatuses()).containsExactlyInAnyOrder(401, 403, 404);
				assertThat(settings.failurePolicy().fatalCloseCodes()).containsExactlyInAnyOrder(1008, 4001);
			});
	}

	@Test
	void newKeysInheritFromTheDefaults() {
		this.runner
			.withPropertyValues("connection-manager.defaults.circuit-breaker.randomized-wait-factor=0",
					"connection-manager.defaults.resume.fsync=true", "connection-manager.connections.feed.url=" + url())
			.run((context) -> {
				ConnectionSettings feed = context.getBean(ConnectionDefinitions.class).get("feed").settings();
				assertThat(feed.circuitBreaker().randomizedWaitFactor()).isZero();
				assertThat(feed.resume().fsync()).isTrue();
			});
	}

	@Test
	void processWideSettingsReachTheRuntime() {
		this.runner
			.withPropertyValues("connection-manager.runtime.max-connects-in-flight=8",
					"connection-manager.logging.outage-summary-interval=5m",
					"connection-manager.runtime.handler-spin=0", "connection-manager.runtime.loop-spin=50us")
			.run((context) -> {
				ConnectionRuntime runtime = context.getBean(ConnectionRuntime.class);
				assertThat(runtime.threads()).isEqualTo(1);
				assertThat(runtime.maxConnectsInFlight()).isEqualTo(8);
				assertThat(runtime.outageSummaryInterval()).isEqualTo(Duration.ofMinutes(5));
				assertThat(runtime.handlerSpin()).isZero();
				assertThat(runtime.loopSpin()).isEqualTo(Duration.ofNanos(50_000));
			});
		this.runner.run((context) -> {
			ConnectionRuntime runtime = context.getBean(ConnectionRuntime.class);
			assertThat(runtime.maxConnectsInFlight())
				.isEqualTo(ConnectionRuntime.Builder.DEFAULT_MAX_CONNECTS_IN_FLIGHT);
			assertThat(runtime.outageSummaryInterval())
				.isEqualTo(ConnectionRuntime.Builder.DEFAULT_OUTAGE_SUMMARY_INTERVAL);
			assertThat(runtime.handlerSpin()).isEqualTo(ConnectionRuntime.Builder.DEFAULT_HANDLER_SPIN);
			assertThat(runtime.loopSpin()).isEqualTo(ConnectionRuntime.Builder.DEFAULT_LOOP_SPIN);
		});
	}

	@Test
	void propertiesAreBoundOnceAndThatInstanceIsTheConfigurationPropertiesBean() {
		this.runner
			.withPropertyValues("connection-manager.connections.feed.url=" + url(),
					"connection-manager.connections.feed.auto-startup=false")
			.run((context) -> {
				assertThat(context).hasSingleBean(ConnectionManagerProperties.class);
				ConnectionManagerProperties properties = context.getBean(ConnectionManagerProperties.class);
				assertThat(properties.connections()).containsOnlyKeys("feed");
				assertThat(properties.connections().get("feed").url()).isEqualTo(url());
				// Shown by the configprops endpoint, as a value object: Boot never binds
				// it again.
				ConfigurationPropertiesBean bean = ConfigurationPropertiesBean.getAll(context)
					.values()
					.stream()
					.filter((candidate) -> candidate.getInstance() == properties)
					.findFirst()
					.orElseThrow();
				assertThat(bean.getAnnotation().prefix()).isEqualTo("connection-manager");
				assertThat(bean.asBindTarget().getBindMethod()).isEqualTo(BindMethod.VALUE_OBJECT);
			});
	}

	@Test
	void connectsOnStartWithTheQualifiedHandlerAndPublishesEvents() {
		this.runner
			.withPropertyValues("connection-manager.connections.market-data.url=" + url(),
					"connection-manager.connections.idle.url=" + url(),
					"connection-manager.connections.idle.auto-startup=false")
			.withUserConfiguration(HandlerAndListener.class)
			.run((context) -> {
				ManagedConnection marketData = context.getBean("market-data", ManagedConnection.class);
				await().atMost(TIMEOUT).until(() -> marketData.state() == ConnectionState.CONNECTED);
				HandlerAndListener beans = context.getBean(HandlerAndListener.class);
				assertThat(beans.authenticated).containsExactly(1);
				marketData.send("hello");
				await().atMost(TIMEOUT).until(() -> beans.received.contains("hello"));
				assertThat(beans.events).extracting(ConnectionStateChangedEvent::getCurrent)
					.containsExactly(ConnectionState.CONNECTING, ConnectionState.AUTHENTICATING,
							ConnectionState.CONNECTED);
				assertThat(beans.events).allSatisfy((event) -> {
					assertThat(event.getConnectionName()).isEqualTo("market-data");
					assertThat(event.getSource()).isSameAs(marketData);
				});
				assertThat(context.getBean("idle", ManagedConnection.class).state())
					.isEqualTo(ConnectionState.DISCONNECTED);
			});
	}

	@Test
	void closesEveryConnectionWhenTheContextCloses() {
		int before = server.get().connections().size();
		ManagedConnection[] connection = new ManagedConnection[1];
		this.runner.withPropertyValues("connection-manager.connections.feed.url=" + url()).run((context) -> {
			connection[0] = context.getBean("feed", ManagedConnection.class);
			await().atMost(TIMEOUT).until(() -> connection[0].state() == ConnectionState.CONNECTED);
			assertThat(server.get().connections()).hasSize(before + 1);
		});
		assertThat(connection[0].state()).isEqualTo(ConnectionState.DISCONNECTED);
		await().atMost(TIMEOUT).until(() -> server.get().connections().size() == before);
	}

	@Test
	void userBeansWin() {
		this.runner.withPropertyValues("connection-manager.connections.market-data.url=" + url())
			.withUserConfiguration(UserBeans.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(ConnectionRuntime.class);
				assertThat(context.getBean(ConnectionRuntime.class)).isSameAs(UserBeans.RUNTIME);
				assertThat(context).hasSingleBean(ManagedConnection.class);
				assertThat(context.getBean("market-data")).isSameAs(context.getBean(UserBeans.class).own);
			});
	}

	@Test
	void breakersGoToTheApplicationRegistryWhenThereIsOne() {
		this.runner
			.withPropertyValues("connection-manager.connections.feed.url=" + url(),
					"connection-manager.connections.feed.auto-startup=false")
			.withBean(CircuitBreakerRegistry.class, CircuitBreakerRegistry::ofDefaults)
			.run((context) -> {
				ManagedConnection feed = context.getBean("feed", ManagedConnection.class);
				CircuitBreakerRegistry registry = context.getBean(CircuitBreakerRegistry.class);
				assertThat(registry.find("feed")).containsSame(feed.circuitBreaker());
				assertThat(feed.circuitBreaker().getCircuitBreakerConfig().getSlidingWindowSize()).isEqualTo(10);
				assertThat(context.getBean(ConnectionCircuitBreakers.class).usesPrivateRegistry()).isFalse();
			});
	}

	@Test
	void breakersGoToAPrivateRegistryOtherwiseAndCanBeDisabled() {
		this.runner
			.withPropertyValues("connection-manager.connections.feed.url=" + url(),
					"connection-manager.connections.feed.auto-startup=false",
					"connection-manager.connections.feed.circuit-breaker.sliding-window-size=4",
					"connection-manager.connections.plain.url=" + url(),
					"connection-manager.connections.plain.auto-startup=false",
					"connection-manager.connections.plain.circuit-breaker.enabled=false")
			.run((context) -> {
				ConnectionCircuitBreakers breakers = context.getBean(ConnectionCircuitBreakers.class);
				assertThat(breakers.usesPrivateRegistry()).isTrue();
				ManagedConnection feed = context.getBean("feed", ManagedConnection.class);
				assertThat(breakers.registry().find("feed")).containsSame(feed.circuitBreaker());
				assertThat(feed.circuitBreaker().getCircuitBreakerConfig().getSlidingWindowSize()).isEqualTo(4);
				assertThat(context.getBean("plain", ManagedConnection.class).circuitBreaker()).isNull();
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class QualifiedInjection {

		final ManagedConnection connection;

		QualifiedInjection(@Qualifier("market-data") ManagedConnection connection) {
			this.connection = connection;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class HandlerAndListener {

		final List<Integer> authenticated = new CopyOnWriteArrayList<>();

		final List<String> received = new CopyOnWriteArrayList<>();

		final List<ConnectionStateChangedEvent> events = new CopyOnWriteArrayList<>();

		@Bean
		@Qualifier("market-data")
		ConnectionHandler marketDataHandler() {
			return new ConnectionHandler() {

				@Override
				public void authenticate(AuthenticationContext authentication) {
					HandlerAndListener.this.authenticated.add(authentication.attempt());
					authentication.succeed();
				}

				@Override
				public void onMessage(Message message) {
					if (message instanceof Message.Text text) {
						HandlerAndListener.this.received.add(text.text());
					}
				}

			};
		}

		@Bean
		ApplicationListener<ConnectionStateChangedEvent> marketDataEvents() {
			return (event) -> {
				if (event.getConnectionName().equals("market-data")) {
					this.events.add(event);
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		static final ConnectionRuntime RUNTIME = ConnectionRuntime.create(1);

		final ManagedConnection own = ManagedConnection
			.builder(ConnectionSettings.builder("market-data").url(url()).build())
			.runtime(RUNTIME)
			.build();

		@Bean
		ConnectionRuntime myRuntime() {
			return RUNTIME;
		}

		@Bean(name = "market-data")
		ManagedConnection myMarketData() {
			return this.own;
		}

	}

}
