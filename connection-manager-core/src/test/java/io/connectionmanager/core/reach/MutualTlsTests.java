package io.connectionmanager.core.reach;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.Framing;
import io.connectionmanager.core.config.TlsSettings;
import io.connectionmanager.core.failure.Failure;
import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.test.server.TestLineServer;
import io.connectionmanager.test.server.TestWebSocketServer;
import io.connectionmanager.test.tls.TestTls;
import io.netty.handler.ssl.SslContext;
import org.junit.jupiter.api.Test;

import static io.connectionmanager.core.state.ConnectionState.CONNECTED;
import static io.connectionmanager.core.state.ConnectionState.FATAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Mutual TLS without Spring: {@code ManagedConnectionBuilder.sslContext(Supplier)}
 * against real servers that require a client certificate, on {@code wss://} and
 * {@code tls://}.
 */
class MutualTlsTests extends ReachTesting {

	private static final TlsSettings TRUST_TEST_CA = new TlsSettings(TestTls.trustStorePath(),
			TestTls.trustStorePassword(), TestTls.trustStoreType(), true, null);

	private TestWebSocketServer mutualTlsServer() {
		return closeLater(TestWebSocketServer.builder().tlsRequiringClientCertificate().start());
	}

	private ConnectionSettings.Builder wss(TestWebSocketServer server) {
		return settings(server.uri("/orders").toString()).tls(TRUST_TEST_CA);
	}

	@Test
	void aClientCertificateIsAccepted() {
		TestWebSocketServer server = mutualTlsServer();
		ManagedConnection connection = start(ManagedConnection.builder(wss(server).build())
			.sslContext(() -> TestTls.clientContextWithCertificate(false)));
		awaitState(connection, CONNECTED);
		assertEchoes(connection, "signed in with a certificate");
		assertThat(server.clientCertificateSubjects()).containsExactly(TestTls.CLIENT_SUBJECT);
	}

	@Test
	void withoutAClientCertificateTheConnectionIsFatalWithAClearMessage() {
		TestWebSocketServer server = mutualTlsServer();
		ManagedConnection connection = start(wss(server));
		awaitState(connection, FATAL);
		Failure failure = connection.snapshot().lastFailure();
		assertThat(failure.kind()).isEqualTo(FailureKind.CERTIFICATE);
		assertThat(failure.fatal()).isTrue();
		assertThat(failure.message()).contains("client certificate").contains("ssl.bundle");
		assertThat(this.listener.states()).doesNotContain(CONNECTED);
		assertThat(server.handshakeCount()).isZero();
		assertThat(connection.snapshot().totalAttempts()).isEqualTo(1);
	}

	@Test
	void theSupplierIsAskedOnEveryAttemptSoARenewedCertificateAppliesToTheNext() {
		TestWebSocketServer server = mutualTlsServer();
		SslContext first = TestTls.clientContextWithCertificate(false);
		SslContext renewed = TestTls.clientContextWithCertificate(true);
		AtomicReference<SslContext> current = new AtomicReference<>(first);
		AtomicInteger asked = new AtomicInteger();
		ManagedConnection connection = start(ManagedConnection.builder(wss(server).build()).sslContext(() -> {
			asked.incrementAndGet();
			return current.get();
		}));
		awaitState(connection, CONNECTED);
		current.set(renewed);
		connection.reconnect();
		await().until(() -> server.clientCertificateSubjects().size() == 2);
		awaitState(connection, CONNECTED);
		assertThat(server.clientCertificateSubjects()).containsExactly(TestTls.CLIENT_SUBJECT,
				TestTls.RENEWED_CLIENT_SUBJECT);
		assertThat(asked.get()).isEqualTo(2);
	}

	@Test
	void rawTlsWithAClientCertificate() {
		TestLineServer server = closeLater(TestLineServer.start(TestLineServer.Framing.LINES, 8192,
				TestTls.serverContextRequiringClientCertificate()));
		ManagedConnection connection = start(ManagedConnection
			.builder(settings("tls://127.0.0.1:" + server.port()).framing(Framing.LINES).tls(TRUST_TEST_CA).build())
			.sslContext(() -> TestTls.clientContextWithCertificate(false)));
		awaitState(connection, CONNECTED);
		assertEchoes(connection, "a line over mutual TLS");
	}

	/**
	 * Under TLS 1.3 the server's verdict on the client certificate arrives after the
	 * client finished its handshake, so a raw TLS session may open for an instant; the
	 * alert then ends it as a fatal certificate failure, and it is not retried.
	 */
	@Test
	void rawTlsWithoutAClientCertificateEndsFatal() {
		TestLineServer server = closeLater(TestLineServer.start(TestLineServer.Framing.LINES, 8192,
				TestTls.serverContextRequiringClientCertificate()));
		ManagedConnection connection = start(
				settings("tls://127.0.0.1:" + server.port()).framing(Framing.LINES).tls(TRUST_TEST_CA));
		awaitState(connection, FATAL);
		Failure failure = connection.snapshot().lastFailure();
		assertThat(failure.kind()).isEqualTo(FailureKind.CERTIFICATE);
		assertThat(failure.message()).contains("client certificate");
		assertThat(connection.snapshot().totalAttempts()).isEqualTo(1);
	}

}
