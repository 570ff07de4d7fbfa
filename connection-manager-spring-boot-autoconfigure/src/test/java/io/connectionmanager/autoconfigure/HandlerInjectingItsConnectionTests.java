package io.connectionmanager.autoconfigure;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.handler.ConnectionHandler;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCurrentlyInCreationException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.stereotype.Component;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A handler that injects its own connection: the connection is built with its handler
 * (the engine asks the handler for its application heartbeat when it is built), so a
 * plain field is a bean cycle, which Spring Boot refuses by default. Injecting an
 * {@link ObjectProvider} (or sending through the {@code ConnectionSession} the handler is
 * given) is the way out.
 */
class HandlerInjectingItsConnectionTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ConnectionManagerAutoConfiguration.class))
		.withAllowCircularReferences(false)
		.withPropertyValues("connection-manager.runtime.threads=1",
				"connection-manager.connections.feed.url=ws://127.0.0.1:9/feed",
				"connection-manager.connections.feed.auto-startup=false");

	@Test
	void aPlainFieldIsABeanCycle() {
		this.runner.withUserConfiguration(FieldHandler.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(BeanCurrentlyInCreationException.class));
	}

	@Test
	void anObjectProviderIsNot() {
		this.runner.withUserConfiguration(ProviderHandler.class).run((context) -> {
			assertThat(context).hasNotFailed();
			ProviderHandler handler = context.getBean(ProviderHandler.class);
			assertThat(handler.connection.getObject()).isSameAs(context.getBean("feed"));
		});
	}

	@Component
	@Qualifier("feed")
	static class FieldHandler implements ConnectionHandler {

		@Autowired
		@Qualifier("feed")
		ManagedConnection connection;

	}

	@Component
	@Qualifier("feed")
	static class ProviderHandler implements ConnectionHandler {

		@Autowired
		@Qualifier("feed")
		ObjectProvider<ManagedConnection> connection;

	}

}
