package io.connectionmanager.autoconfigure.ssl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.connectionmanager.autoconfigure.ConnectionManagerAutoConfiguration;
import io.connectionmanager.autoconfigure.InvalidConnectionPropertyException;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.test.server.TestWebSocketServer;
import io.connectionmanager.test.tls.TestTls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ssl.bundle}: mutual TLS with a Spring Boot SSL bundle against a real server that
 * requires a client certificate; accepted with the bundle, FATAL with a clear message
 * without it, and a reloaded bundle ({@code reload-on-update}) used by the next attempt.
 */
class SslBundleMutualTlsTests {

	private static TestWebSocketServer server;

	@TempDir
	Path directory;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, ConnectionManagerAutoConfiguration.class))
		.withPropertyValues("connection-manager.runtime.threads=1",
				"connection-manager.defaults.reconnect.initial-delay=50ms",
				"connection-manager.defaults.reconnect.max-delay=200ms");

	@BeforeAll
	static void startServer() {
		server = TestWebSocketServer.builder().tlsRequiringClientCertificate().start();
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	private String[] bundle(Path keyStore) {
		return new String[] { "spring.ssl.bundle.jks.client.keystore.location=file:" + keyStore,
				"spring.ssl.bundle.jks.client.keystore.password=" + TestTls.trustStorePassword(),
				"spring.ssl.bundle.jks.client.keystore.type=PKCS12",
				"spring.ssl.bundle.jks.client.truststore.location=file:" + TestTls.trustStorePath(),
				"spring.ssl.bundle.jks.client.truststore.password=" + TestTls.trustStorePassword(),
				"spring.ssl.bundle.jks.client.truststore.type=PKCS12",
				"spring.ssl.bundle.jks.client.reload-on-update=true",
				"spring.ssl.bundle.watch.file.quiet-period=100ms" };
	}

	private Path keyStore() throws Exception {
		Path keyStore = this.directory.resolve("client.p12");
		Files.copy(TestTls.clientKeyStorePath(false), keyStore);
		return keyStore;
	}

	@Test
	void theBundlesClientCertificateIsAcceptedAndAReloadAppliesToTheNextAttempt() throws Exception {
		Path keyStore = keyStore();
		this.runner.withPropertyValues(bundle(keyStore))
			.withPropertyValues("connection-manager.connections.orders.url=" + server.uri("/orders"),
					"connection-manager.connections.orders.ssl.bundle=client")
			.run((context) -> {
				ManagedConnection orders = context.getBean("orders", ManagedConnection.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> orders.state() == ConnectionState.CONNECTED);
				assertThat(server.clientCertificateSubjects()).endsWith(TestTls.CLIENT_SUBJECT);
				// Boot calls update handlers in order: once ours has run, this one runs
				CountDownLatch reloaded = new CountDownLatch(1);
				context.getBean(SslBundles.class).addBundleUpdateHandler("client", (bundle) -> reloaded.countDown());
				Path renewed = this.directory.resolve("renewed.p12");
				Files.copy(TestTls.clientKeyStorePath(true), renewed);
				Files.move(renewed, keyStore, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
				assertThat(reloaded.await(30, TimeUnit.SECONDS)).isTrue();
				// the open connection keeps its session; the next attempt presents the
				// new
				// certificate
				assertThat(orders.state()).isEqualTo(ConnectionState.CONNECTED);
				orders.reconnect();
				await().atMost(Duration.ofSeconds(10))
					.until(() -> server.clientCertificateSubjects()
						.get(server.clientCertificateSubjects().size() - 1)
						.equals(TestTls.RENEWED_CLIENT_SUBJECT));
				await().atMost(Duration.ofSeconds(10)).until(() -> orders.state() == ConnectionState.CONNECTED);
			});
	}

	@Test
	void withoutTheBundleTheConnectionIsFatalWithAClearMessage() {
		this.runner
			.withPropertyValues("connection-manager.connections.orders.url=" + server.uri("/orders"),
					"connection-manager.connections.orders.tls.trust-store=" + TestTls.trustStorePath(),
					"connection-manager.connections.orders.tls.trust-store-password=" + TestTls.trustStorePassword())
			.run((context) -> {
				ManagedConnection orders = context.getBean("orders", ManagedConnection.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> orders.state() == ConnectionState.FATAL);
				assertThat(orders.snapshot().lastFailure().kind()).isEqualTo(FailureKind.CERTIFICATE);
				assertThat(orders.snapshot().lastFailure().message()).contains("client certificate")
					.contains("ssl.bundle");
			});
	}

	@Test
	void anUnknownBundleStopsStartUpNamingTheProperty() {
		this.runner
			.withPropertyValues("connection-manager.connections.orders.url=" + server.uri("/orders"),
					"connection-manager.connections.orders.ssl.bundle=missing")
			.run((context) -> assertThat(propertyFailure(context.getStartupFailure()))
				.hasMessageContaining("connection-manager.connections.orders.ssl.bundle")
				.hasMessageContaining("spring.ssl.bundle.jks.missing"));
	}

	@Test
	void aBundleOnAPlainUrlStopsStartUp() throws Exception {
		Path keyStore = keyStore();
		this.runner.withPropertyValues(bundle(keyStore))
			.withPropertyValues("connection-manager.connections.orders.url=ws://127.0.0.1:9/orders",
					"connection-manager.connections.orders.ssl.bundle=client")
			.run((context) -> assertThat(propertyFailure(context.getStartupFailure()))
				.hasMessageContaining("connection-manager.connections.orders.ssl.bundle")
				.hasMessageContaining("wss:// and tls://"));
	}

	private static InvalidConnectionPropertyException propertyFailure(Throwable failure) {
		for (Throwable t = failure; t != null; t = t.getCause()) {
			if (t instanceof InvalidConnectionPropertyException property) {
				return property;
			}
		}
		throw new AssertionError("start-up did not fail with an InvalidConnectionPropertyException", failure);
	}

}
