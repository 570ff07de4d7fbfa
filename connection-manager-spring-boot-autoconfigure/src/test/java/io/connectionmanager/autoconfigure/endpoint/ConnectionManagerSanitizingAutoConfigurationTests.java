package io.connectionmanager.autoconfigure.endpoint;

import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionManagerSanitizingAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ConnectionManagerSanitizingAutoConfiguration.class));

	@Test
	void masksHeaderValuesAndPasswordsOnly() {
		this.runner.run((context) -> {
			SanitizingFunction function = context.getBean(SanitizingFunction.class);
			assertThat(masked(function, "connection-manager.connections.market-data.headers.Authorization")).isTrue();
			assertThat(masked(function, "connection-manager.connections.market-data.headers[Authorization]")).isTrue();
			assertThat(masked(function, "connection-manager.defaults.headers.X-Api-Key")).isTrue();
			assertThat(masked(function, "CONNECTION_MANAGER_CONNECTIONS_FEED_HEADERS_AUTHORIZATION")).isTrue();
			assertThat(masked(function, "connection-manager.connections.feed.tls.trust-store-password")).isTrue();
			assertThat(masked(function, "connection-manager.connections.feed.url")).isFalse();
			assertThat(masked(function, "connection-manager.connections.feed.reconnect.max-delay")).isFalse();
			assertThat(masked(function, "spring.application.name")).isFalse();
		});
	}

	@Test
	void masksRegardlessOfTheMasterSwitch() {
		this.runner.withPropertyValues("connection-manager.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(SanitizingFunction.class));
	}

	@Test
	void absentWithoutActuator() {
		this.runner.withClassLoader(new FilteredClassLoader(SanitizingFunction.class))
			.run((context) -> assertThat(context).doesNotHaveBean("connectionManagerSanitizingFunction"));
	}

	@Test
	void userFunctionOfTheSameNameWins() {
		SanitizingFunction own = (data) -> data;
		this.runner.withBean("connectionManagerSanitizingFunction", SanitizingFunction.class, () -> own)
			.run((context) -> assertThat(context.getBean(SanitizingFunction.class)).isSameAs(own));
	}

	private static boolean masked(SanitizingFunction function, String key) {
		SanitizableData data = new SanitizableData(null, key, "value");
		return SanitizableData.SANITIZED_VALUE.equals(function.apply(data).getValue());
	}

}
