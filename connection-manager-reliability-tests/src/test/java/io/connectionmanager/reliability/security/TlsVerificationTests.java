package io.connectionmanager.reliability.security;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.Framing;
import io.connectionmanager.core.config.TlsSettings;
import io.connectionmanager.core.failure.Failure;
import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.reliability.support.LogCapture;
import io.connectionmanager.reliability.support.Observed;
import io.connectionmanager.reliability.support.SelfSignedCertificate;
import io.connectionmanager.reliability.support.Settings;
import io.connectionmanager.reliability.support.StateTimeline;
import io.connectionmanager.test.proxy.FaultInjectingProxy;
import io.connectionmanager.test.server.TestLineServer;
import io.connectionmanager.test.server.TestWebSocketServer;
import io.connectionmanager.test.tls.TestTls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.connectionmanager.core.state.ConnectionState.CONNECTED;
import static io.connectionmanager.core.state.ConnectionState.FATAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * TLS is verified by default and a verification failure is final: a server the client
 * cannot trust, or one whose certificate names another host, makes the connection FATAL
 * with a CERTIFICATE failure that says why, after exactly one attempt (a proxy in front
 * counts the TCP connections).
 */
class TlsVerificationTests {

	private static final ConnectionRuntime runtime = ConnectionRuntime.create(1);

	private static final TlsSettings TRUSTING_TEST_CA = new TlsSettings(TestTls.trustStorePath(),
			TestTls.trustStorePassword(), TestTls.trustStoreType(), true, null);

	@AfterAll
	static void release() {
		runtime.close();
	}

	/**
	 * Connects through a counting proxy and expects FATAL CERTIFICATE after a single
	 * attempt.
	 */
	private static Failure rejectedOnce(int serverPort, String scheme, TlsSettings tls) {
		try (FaultInjectingProxy proxy = FaultInjectingProxy.start(serverPort);
				Observed observed = Observed.connect(runtime, settings(scheme, proxy.port(), tls))) {
			StateTimeline.awaitState(observed.connection(), FATAL);
			await().during(Duration.ofMillis(500))
				.atMost(Duration.ofSeconds(3))
				.until(() -> proxy.connectionCount() == 1);
			Failure failure = observed.connection().snapshot().lastFailure();
			assertThat(failure.kind()).as(failure.describe()).isEqualTo(FailureKind.CERTIFICATE);
			assertThat(failure.fatal()).isTrue();
			return failure;
		}
	}

	private static ConnectionSettings settings(String scheme, int port, TlsSettings tls) {
		ConnectionSettings.Builder builder = Settings
			.fast("secure", URI.create(scheme + "://127.0.0.1:" + port + "/feed"))
			.tls(tls);
		return scheme.equals("tls") ? builder.framing(Framing.LINES).build() : builder.build();
	}

	@Test
	void theJdkDefaultTrustAnchorsRejectAnUnknownCaWithAClearMessage() {
		try (TestWebSocketServer server = TestWebSocketServer.builder().tls().start();
				LogCapture logs = new LogCapture("io.connectionmanager")) {
			Failure failure = rejectedOnce(server.port(), "wss", TlsSettings.defaults());
			assertThat(failure.message()).contains("PKIX path building failed");
			assertThat(logs.text()).contains("Connection 'secure' is FATAL: CERTIFICATE")
				.contains("unable to find valid certification path")
				.contains("It will not retry until connect() or reconnect() is called");
		}
	}

	@Test
	void aSelfSignedCertificateIsRejectedEvenWithACustomTrustStore(@TempDir Path directory) {
		try (TestWebSocketServer server = TestWebSocketServer.builder()
			.sslContext(SelfSignedCertificate.serverContext(directory))
			.start()) {
			assertThat(rejectedOnce(server.port(), "wss", TRUSTING_TEST_CA).message()).contains("PKIX");
		}
	}

	@Test
	void aCertificateForAnotherHostIsRejected() {
		try (TestWebSocketServer server = TestWebSocketServer.builder().tlsWithWrongHostname().start()) {
			assertThat(rejectedOnce(server.port(), "wss", TRUSTING_TEST_CA).message())
				.contains("No subject alternative");
		}
	}

	@Test
	void rawTlsVerifiesLikeWss() {
		try (TestLineServer untrusted = TestLineServer.start(TestLineServer.Framing.LINES, 1024,
				TestTls.serverContext(true));
				TestLineServer wrongHost = TestLineServer.start(TestLineServer.Framing.LINES, 1024,
						TestTls.serverContext(false))) {
			rejectedOnce(untrusted.port(), "tls", TlsSettings.defaults());
			rejectedOnce(wrongHost.port(), "tls", TRUSTING_TEST_CA);
		}
	}

	@Test
	void theRightCertificateFromATrustedCaConnects() {
		try (TestWebSocketServer right = TestWebSocketServer.builder().tls().start();
				Observed trusted = Observed.connect(runtime, settings("wss", right.port(), TRUSTING_TEST_CA))) {
			StateTimeline.awaitState(trusted.connection(), CONNECTED);
		}
	}

	/**
	 * {@code verify-hostname: false} accepts a certificate for another host from a
	 * trusted CA, and nothing more: with the same settings, a certificate from a CA that
	 * is not trusted is still refused.
	 */
	@Test
	void anExplicitOptOutSkipsOnlyTheHostCheck(@TempDir Path directory) {
		TlsSettings optOut = new TlsSettings(TestTls.trustStorePath(), TestTls.trustStorePassword(),
				TestTls.trustStoreType(), false, null);
		try (TestWebSocketServer wrongHost = TestWebSocketServer.builder().tlsWithWrongHostname().start();
				Observed optedOut = Observed.connect(runtime, settings("wss", wrongHost.port(), optOut))) {
			StateTimeline.awaitState(optedOut.connection(), CONNECTED);
		}
		try (TestWebSocketServer untrusted = TestWebSocketServer.builder()
			.sslContext(SelfSignedCertificate.serverContext(directory))
			.start()) {
			assertThat(rejectedOnce(untrusted.port(), "wss", optOut).message()).contains("PKIX");
		}
	}

	@Test
	void fatalIsLeftOnlyByAnExplicitRequest() {
		try (TestWebSocketServer server = TestWebSocketServer.builder().tlsWithWrongHostname().start();
				Observed observed = Observed.connect(runtime, settings("wss", server.port(), TRUSTING_TEST_CA))) {
			StateTimeline.awaitState(observed.connection(), FATAL);
			observed.connection().reconnect();
			await().atMost(Duration.ofSeconds(10)).until(() -> observed.timeline().count(FATAL) == 2);
			assertThat(observed.connection().state()).isEqualTo(FATAL);
		}
	}

}
