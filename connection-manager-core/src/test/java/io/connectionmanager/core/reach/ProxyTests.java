package io.connectionmanager.core.reach;

import java.time.Duration;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.Framing;
import io.connectionmanager.core.config.InvalidConnectionSettingException;
import io.connectionmanager.core.config.ProxySettings;
import io.connectionmanager.core.config.TlsSettings;
import io.connectionmanager.core.failure.Failure;
import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.test.proxy.HttpConnectProxy;
import io.connectionmanager.test.proxy.Socks5Proxy;
import io.connectionmanager.test.proxy.TunnelingProxy;
import io.connectionmanager.test.server.TestLineServer;
import io.connectionmanager.test.server.TestWebSocketServer;
import io.connectionmanager.test.tls.TestTls;
import org.junit.jupiter.api.Test;

import static io.connectionmanager.core.state.ConnectionState.CONNECTED;
import static io.connectionmanager.core.state.ConnectionState.FATAL;
import static io.connectionmanager.core.state.ConnectionState.RECONNECTING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Connections through real proxies on loopback (test-support's HTTP CONNECT and SOCKS5
 * proxies, which relay bytes after their handshake), with and without credentials, and
 * how a proxy's refusal is classified.
 */
class ProxyTests extends ReachTesting {

	private static final String SECRET = "s3cr3t-proxy-password";

	private TestWebSocketServer echoServer() {
		return closeLater(TestWebSocketServer.start());
	}

	private static ConnectionSettings.Builder through(TestWebSocketServer server, TunnelingProxy proxy, String proxyUrl,
			String username, String password) {
		return settings(server.uri("/feed").toString()).proxy(ProxySettings.of(proxyUrl, username, password, null));
	}

	@Test
	void webSocketThroughAnHttpConnectProxyWithoutCredentials() {
		TestWebSocketServer server = echoServer();
		HttpConnectProxy proxy = closeLater(HttpConnectProxy.start());
		ManagedConnection connection = start(through(server, proxy, proxy.url(), null, null));
		awaitState(connection, CONNECTED);
		assertEchoes(connection, "hello through CONNECT");
		assertThat(proxy.tunnelsOpened()).isEqualTo(1);
		assertThat(proxy.requestedTargets()).containsExactly("127.0.0.1:" + server.port());
		assertThat(proxy.bytesRelayed()).isPositive();
	}

	@Test
	void webSocketThroughAnHttpConnectProxyWithCredentials() {
		TestWebSocketServer server = echoServer();
		HttpConnectProxy proxy = closeLater(HttpConnectProxy.start("trader", SECRET));
		ManagedConnection connection = start(through(server, proxy, proxy.url(), "trader", SECRET));
		awaitState(connection, CONNECTED);
		assertEchoes(connection, "hello with Basic credentials");
		assertThat(proxy.tunnelsOpened()).isEqualTo(1);
		assertThat(proxy.authenticationFailures()).isZero();
	}

	@Test
	void wrongHttpProxyCredentialsAreFatalWithAClearMessage() {
		TestWebSocketServer server = echoServer();
		HttpConnectProxy proxy = closeLater(HttpConnectProxy.start("trader", SECRET));
		ManagedConnection connection = start(through(server, proxy, proxy.url(), "trader", "wrong-password"));
		awaitState(connection, FATAL);
		Failure failure = connection.snapshot().lastFailure();
		assertThat(failure.kind()).isEqualTo(FailureKind.AUTH_REJECTED);
		assertThat(failure.fatal()).isTrue();
		assertThat(failure.httpStatus()).isEqualTo(407);
		assertThat(failure.message()).contains("HTTP proxy 127.0.0.1:" + proxy.port())
			.contains("refused the credentials")
			.contains("proxy.username and proxy.password")
			.doesNotContain("wrong-password")
			.doesNotContain(SECRET);
		assertThat(server.handshakeCount()).isZero();
		assertThat(proxy.authenticationFailures()).isEqualTo(1);
	}

	@Test
	void anHttpProxyThatWantsCredentialsNoneConfiguredIsFatal() {
		TestWebSocketServer server = echoServer();
		HttpConnectProxy proxy = closeLater(HttpConnectProxy.start("trader", SECRET));
		ManagedConnection connection = start(through(server, proxy, proxy.url(), null, null));
		awaitState(connection, FATAL);
		assertThat(connection.snapshot().lastFailure().message()).contains("requires credentials")
			.contains("set proxy.username and proxy.password");
	}

	@Test
	void aTunnelRefusedByTheProxyIsRetriedAndRecovers() {
		TestWebSocketServer server = echoServer();
		HttpConnectProxy proxy = closeLater(HttpConnectProxy.start());
		proxy.refuseTunnels(502);
		ManagedConnection connection = start(through(server, proxy, proxy.url(), null, null));
		await().atMost(Duration.ofSeconds(10)).until(() -> connection.snapshot().totalAttempts() >= 3);
		Failure failure = connection.snapshot().lastFailure();
		assertThat(failure.kind()).isEqualTo(FailureKind.PROXY_REJECTED);
		assertThat(failure.httpStatus()).isEqualTo(502);
		assertThat(failure.fatal()).isFalse();
		assertThat(this.listener.states()).doesNotContain(FATAL);
		proxy.refuseTunnels(0);
		awaitState(connection, CONNECTED);
		assertEchoes(connection, "after the refusal");
	}

	@Test
	void anUnreachableProxyIsRetryable() {
		TestWebSocketServer server = echoServer();
		int nobodyListens;
		try (HttpConnectProxy gone = HttpConnectProxy.start()) {
			nobodyListens = gone.port();
		}
		ManagedConnection connection = start(settings(server.uri("/feed").toString())
			.proxy(ProxySettings.of("http://127.0.0.1:" + nobodyListens, null, null, null)));
		await().atMost(Duration.ofSeconds(10)).until(() -> connection.snapshot().totalAttempts() >= 3);
		assertThat(connection.state()).isIn(RECONNECTING, ConnectionState.CONNECTING);
		assertThat(connection.snapshot().lastFailure().kind()).isEqualTo(FailureKind.CONNECTION_REFUSED);
		assertThat(this.listener.states()).doesNotContain(FATAL);
	}

	@Test
	void webSocketThroughASocks5ProxyWithoutCredentials() {
		TestWebSocketServer server = echoServer();
		Socks5Proxy proxy = closeLater(Socks5Proxy.start());
		ManagedConnection connection = start(through(server, proxy, proxy.url(), null, null));
		awaitState(connection, CONNECTED);
		assertEchoes(connection, "hello through SOCKS5");
		assertThat(proxy.requestedTargets()).containsExactly("127.0.0.1:" + server.port());
	}

	@Test
	void secureWebSocketThroughASocks5ProxyWithCredentials() {
		TestWebSocketServer server = closeLater(TestWebSocketServer.builder().tls().start());
		Socks5Proxy proxy = closeLater(Socks5Proxy.start("trader", SECRET));
		ManagedConnection connection = start(through(server, proxy, proxy.url(), "trader", SECRET).tls(new TlsSettings(
				TestTls.trustStorePath(), TestTls.trustStorePassword(), TestTls.trustStoreType(), true, null)));
		awaitState(connection, CONNECTED);
		assertEchoes(connection, "TLS inside the SOCKS5 tunnel");
		assertThat(proxy.tunnelsOpened()).isEqualTo(1);
		assertThat(proxy.authenticationFailures()).isZero();
	}

	@Test
	void wrongSocks5CredentialsAreFatal() {
		TestWebSocketServer server = echoServer();
		Socks5Proxy proxy = closeLater(Socks5Proxy.start("trader", SECRET));
		ManagedConnection connection = start(through(server, proxy, proxy.url(), "trader", "wrong-password"));
		awaitState(connection, FATAL);
		Failure failure = connection.snapshot().lastFailure();
		assertThat(failure.kind()).isEqualTo(FailureKind.AUTH_REJECTED);
		assertThat(failure.message()).contains("SOCKS5 proxy 127.0.0.1:" + proxy.port())
			.contains("refused the credentials")
			.doesNotContain("wrong-password");
		assertThat(proxy.tunnelsOpened()).isZero();
	}

	@Test
	void aSocks5ProxyThatWantsCredentialsNoneConfiguredIsFatal() {
		TestWebSocketServer server = echoServer();
		Socks5Proxy proxy = closeLater(Socks5Proxy.start("trader", SECRET));
		ManagedConnection connection = start(through(server, proxy, proxy.url(), null, null));
		awaitState(connection, FATAL);
		assertThat(connection.snapshot().lastFailure().message()).contains("requires credentials");
	}

	@Test
	void rawTcpThroughASocks5ProxyOpensOnlyOnceTheTunnelIsUp() {
		TestLineServer server = closeLater(TestLineServer.start());
		Socks5Proxy proxy = closeLater(Socks5Proxy.start("trader", SECRET));
		ManagedConnection connection = start(settings("tcp://127.0.0.1:" + server.port()).framing(Framing.LINES)
			.proxy(ProxySettings.of(proxy.url(), "trader", SECRET, null)));
		awaitState(connection, CONNECTED);
		assertThat(proxy.tunnelsOpened()).isEqualTo(1);
		assertEchoes(connection, "a line through SOCKS5");
	}

	@Test
	void rawTcpWithWrongSocks5CredentialsNeverConnects() {
		TestLineServer server = closeLater(TestLineServer.start());
		Socks5Proxy proxy = closeLater(Socks5Proxy.start("trader", SECRET));
		ManagedConnection connection = start(settings("tcp://127.0.0.1:" + server.port()).framing(Framing.LINES)
			.proxy(ProxySettings.of(proxy.url(), "trader", "wrong", null)));
		awaitState(connection, FATAL);
		assertThat(this.listener.states()).doesNotContain(CONNECTED);
	}

	@Test
	void nonProxyHostsAreReachedDirectly() {
		TestWebSocketServer server = echoServer();
		HttpConnectProxy proxy = closeLater(HttpConnectProxy.start());
		ManagedConnection connection = start(settings(server.uri("/feed").toString())
			.proxy(ProxySettings.of(proxy.url(), null, null, "localhost|127.*")));
		awaitState(connection, CONNECTED);
		assertEchoes(connection, "direct");
		assertThat(proxy.requestedTargets()).isEmpty();
	}

	@Test
	void nonProxyHostsFollowJavasPatternSyntax() {
		ProxySettings proxy = ProxySettings.of("http://proxy.example.com:3128", null, null,
				" localhost | *.internal.example.com|10.* ");
		assertThat(proxy.bypasses("localhost")).isTrue();
		assertThat(proxy.bypasses("LOCALHOST")).isTrue();
		assertThat(proxy.bypasses("feed.internal.example.com")).isTrue();
		assertThat(proxy.bypasses("10.1.2.3")).isTrue();
		assertThat(proxy.bypasses("internal.example.com")).isFalse();
		assertThat(proxy.bypasses("feed.example.com")).isFalse();
		assertThat(proxy.bypasses("110.1.2.3")).isFalse();
		assertThat(ProxySettings.of("socks5://p:1080", null, null, null).bypasses("localhost")).isFalse();
	}

	@Test
	void proxySettingsAreValidatedAndNeverShowThePassword() {
		ProxySettings proxy = ProxySettings.of("socks5://proxy.example.com:1080", "trader", SECRET, null);
		assertThat(proxy.type()).isEqualTo(ProxySettings.Type.SOCKS5);
		assertThat(proxy.toString()).doesNotContain(SECRET).contains("******");
		assertThatExceptionOfType(InvalidConnectionSettingException.class)
			.isThrownBy(() -> ProxySettings.of("http://user:" + SECRET + "@proxy:3128", null, null, null))
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain(SECRET).contains("proxy.url"));
		assertThatExceptionOfType(InvalidConnectionSettingException.class)
			.isThrownBy(() -> ProxySettings.of("https://proxy:3128", null, null, null))
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("proxy.url"));
		assertThatExceptionOfType(InvalidConnectionSettingException.class)
			.isThrownBy(() -> ProxySettings.of("http://proxy", null, null, null))
			.withMessageContaining("explicit port");
		assertThatExceptionOfType(InvalidConnectionSettingException.class)
			.isThrownBy(() -> ProxySettings.of("http://proxy:3128", "trader", null, null))
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("proxy.password"));
	}

}
