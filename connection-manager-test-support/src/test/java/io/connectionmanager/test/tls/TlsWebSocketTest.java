package io.connectionmanager.test.tls;

import io.connectionmanager.test.server.TestWebSocketServer;
import io.connectionmanager.test.support.RecordingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.security.KeyStore;

import static io.connectionmanager.test.support.Clients.HTTP;
import static io.connectionmanager.test.support.Clients.await;
import static io.connectionmanager.test.support.Clients.connectAsync;
import static io.connectionmanager.test.support.Clients.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

class TlsWebSocketTest {

	private static final HttpClient TRUSTING = HttpClient.newBuilder().sslContext(TestTls.clientSslContext()).build();

	private TestWebSocketServer server;

	@AfterEach
	void stop() {
		server.close();
	}

	@Test
	void clientTrustingTheTestCaConnectsOverWss() {
		server = TestWebSocketServer.builder().tls().start();
		RecordingListener listener = new RecordingListener();

		await(connectAsync(TRUSTING, server.uri("/secure"), listener)).sendText("secret", true).join();

		assertThat(server.uri("/secure").getScheme()).isEqualTo("wss");
		assertThat(listener.nextText()).isEqualTo("secret");
	}

	@Test
	void clientWithDefaultTrustIsRejected() {
		server = TestWebSocketServer.builder().tls().start();

		Throwable failure = failureOf(connectAsync(HTTP, server.uri("/"), new RecordingListener()));

		assertThat(failure).isInstanceOf(SSLHandshakeException.class);
		assertThat(server.handshakeCount()).isZero();
	}

	@Test
	void certificateForAnotherHostFailsHostnameVerification() {
		server = TestWebSocketServer.builder().tlsWithWrongHostname().start();

		Throwable failure = failureOf(connectAsync(TRUSTING, server.uri("/"), new RecordingListener()));

		assertThat(failure).isInstanceOf(SSLHandshakeException.class);
		assertThat(failure).hasStackTraceContaining("subject alternative");
		assertThat(server.handshakeCount()).isZero();
	}

	@Test
	void trustStoreFileWorksForClientsConfiguredByPath() throws Exception {
		server = TestWebSocketServer.builder().tls().start();
		KeyStore trustStore = KeyStore.getInstance(TestTls.trustStoreType());
		try (InputStream in = Files.newInputStream(TestTls.trustStorePath())) {
			trustStore.load(in, TestTls.trustStorePassword().toCharArray());
		}
		assertThat(trustStore.isCertificateEntry("test-ca")).isTrue();
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(trustStore);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, trust.getTrustManagers(), null);
		RecordingListener listener = new RecordingListener();

		await(connectAsync(HttpClient.newBuilder().sslContext(context).build(), server.uri("/"), listener))
			.sendText("by path", true)
			.join();

		assertThat(listener.nextText()).isEqualTo("by path");
		assertThat(TestTls.class.getClassLoader().getResource(TestTls.trustStoreResource())).isNotNull();
	}

}
