package io.connectionmanager.autoconfigure.testing;

import java.util.Arrays;
import java.util.stream.Stream;

import io.connectionmanager.autoconfigure.ConnectionManagerAutoConfiguration;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * What the auto-configuration tests share: a context runner with the connection manager
 * (one runtime thread) and a WebSocket server for the whole test class.
 */
public final class AutoConfigurationTesting {

	private AutoConfigurationTesting() {
	}

	/** {@link ConnectionManagerAutoConfiguration} plus these, on one runtime thread. */
	public static ApplicationContextRunner runner(Class<?>... autoConfigurations) {
		Class<?>[] all = Stream
			.concat(Stream.of(ConnectionManagerAutoConfiguration.class), Arrays.stream(autoConfigurations))
			.toArray(Class<?>[]::new);
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(all))
			.withPropertyValues("connection-manager.runtime.threads=1");
	}

	/**
	 * A {@link TestWebSocketServer} started before a test class and closed after it; use
	 * as a static {@code @RegisterExtension} field.
	 */
	public static final class SharedServer implements BeforeAllCallback, AfterAllCallback {

		private TestWebSocketServer server;

		public TestWebSocketServer get() {
			return this.server;
		}

		@Override
		public void beforeAll(ExtensionContext context) {
			this.server = TestWebSocketServer.start();
		}

		@Override
		public void afterAll(ExtensionContext context) {
			this.server.close();
		}

	}

}
