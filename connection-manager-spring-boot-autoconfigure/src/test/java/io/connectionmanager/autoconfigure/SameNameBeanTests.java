package io.connectionmanager.autoconfigure;

import java.util.concurrent.atomic.AtomicInteger;

import io.connectionmanager.autoconfigure.diagnostics.ConnectionBeanConflictFailureAnalyzer;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.stereotype.Component;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bean that carries a configured connection's name: a {@link ManagedConnection}
 * replaces the configured connection; any other type fails start-up with a message that
 * names the property, the bean, its type and the fix. Never a connection silently gone.
 */
class SameNameBeanTests {

	private static final String PROPERTY = "connection-manager.connections.market-data";

	private static final ConnectionRuntime RUNTIME = ConnectionRuntime.create(1);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ConnectionManagerAutoConfiguration.class))
		.withPropertyValues("connection-manager.runtime.threads=1", PROPERTY + ".url=ws://127.0.0.1:9/feed",
				PROPERTY + ".auto-startup=false", "connection-manager.connections.orders.url=ws://127.0.0.1:9/orders",
				"connection-manager.connections.orders.auto-startup=false");

	@AfterAll
	static void closeRuntime() {
		RUNTIME.close();
	}

	@Test
	void aManagedConnectionBeanDeclaredAsSuchReplacesTheConfiguredConnection() {
		this.runner.withUserConfiguration(OwnConnection.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean("market-data")).isSameAs(OwnConnection.CONNECTION);
			assertThat(context.getBean("orders", ManagedConnection.class).settings().url())
				.hasToString("ws://127.0.0.1:9/orders");
		});
	}

	@Test
	void aManagedConnectionBeanDeclaredAsObjectIsJudgedByWhatItIs() {
		this.runner.withUserConfiguration(OwnConnectionAsObject.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean("market-data")).isSameAs(OwnConnectionAsObject.CONNECTION);
		});
	}

	@Test
	void aBeanMethodOfAnotherTypeFailsStartUpBeforeAnyApplicationBeanIsCreated() {
		BeanMethodOfAnotherType.created.set(0);
		this.runner.withUserConfiguration(BeanMethodOfAnotherType.class).run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("Connection 'market-data' cannot be registered")
				.contains("Property: " + PROPERTY)
				.contains("Bean: 'market-data'")
				.contains("Type: java.lang.String");
			assertThat(analysis.getAction()).contains("Rename the bean 'market-data', or rename the connection")
				.contains("only when it is a ManagedConnection");
			assertThat(BeanMethodOfAnotherType.created).hasValue(0);
		});
	}

	@Test
	void aComponentOfAnotherTypeFailsStartUp() {
		this.runner.withUserConfiguration(ClashingComponent.class).run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("Property: " + PROPERTY)
				.contains("Type: " + ClashingComponent.class.getName());
		});
	}

	@Test
	void aBeanDeclaredAsObjectThatIsNoConnectionFailsStartUp() {
		this.runner.withUserConfiguration(OtherTypeAsObject.class).run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("Property: " + PROPERTY).contains("Type: java.lang.String");
		});
	}

	private static FailureAnalysis analyze(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
			.isInstanceOf(ConnectionBeanConflictException.class);
		FailureAnalysis analysis = new ConnectionBeanConflictFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).isNotNull();
		return analysis;
	}

	private static ManagedConnection ownConnection() {
		return ManagedConnection.builder(ConnectionSettings.builder("market-data").url("ws://127.0.0.1:9/own").build())
			.runtime(RUNTIME)
			.build();
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnConnection {

		static final ManagedConnection CONNECTION = ownConnection();

		@Bean(name = "market-data")
		ManagedConnection ownMarketData() {
			return CONNECTION;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnConnectionAsObject {

		static final ManagedConnection CONNECTION = ownConnection();

		@Bean(name = "market-data")
		Object ownMarketData() {
			return CONNECTION;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BeanMethodOfAnotherType {

		static final AtomicInteger created = new AtomicInteger();

		@Bean(name = "market-data")
		String marketDataSymbol() {
			created.incrementAndGet();
			return "MD";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OtherTypeAsObject {

		@Bean(name = "market-data")
		Object marketDataSymbol() {
			return "MD";
		}

	}

	@Component("market-data")
	static class ClashingComponent {

	}

}
