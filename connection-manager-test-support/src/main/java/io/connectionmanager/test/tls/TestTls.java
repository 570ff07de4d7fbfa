package io.connectionmanager.test.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/**
 * Pre-generated TLS material for loopback tests (see the module README for how it was
 * made). A test CA signs two server certificates: one for {@code localhost} and
 * {@code 127.0.0.1}, one for {@code wrong-host.invalid} (trusted, but failing hostname
 * verification). The trust store holds only the CA. For mutual TLS, a second test CA
 * signs two client certificates ({@link #clientKeyStorePath(boolean) current and
 * renewed}), which {@link #serverContextRequiringClientCertificate()} trusts. Shipped as
 * PKCS12 resources because generating certificates at run time would need BouncyCastle or
 * JDK internals.
 */
public final class TestTls {

	private static final String BASE = "/io/connectionmanager/test/tls/";

	private static final String PASSWORD = "changeit";

	/** Subject of the client certificate in {@code client.p12}. */
	public static final String CLIENT_SUBJECT = "CN=connection-manager test client";

	/** Subject of the client certificate in {@code client-renewed.p12}. */
	public static final String RENEWED_CLIENT_SUBJECT = "CN=connection-manager test client renewed";

	private static volatile Path trustStoreFile;

	private TestTls() {
	}

	/**
	 * Netty server context; {@code matchingHostname=false} serves the wrong-host
	 * certificate.
	 */
	public static SslContext serverContext(boolean matchingHostname) {
		try {
			KeyStore keyStore = load(matchingHostname ? "server.p12" : "server-wrong-host.p12");
			KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keyManagers.init(keyStore, PASSWORD.toCharArray());
			return SslContextBuilder.forServer(keyManagers).sslProvider(SslProvider.JDK).build();
		}
		catch (GeneralSecurityException | IOException e) {
			throw new IllegalStateException("cannot build the test server TLS context", e);
		}
	}

	/**
	 * A server context for {@code localhost}/{@code 127.0.0.1} that requires a client
	 * certificate signed by the test client CA (mutual TLS).
	 */
	public static SslContext serverContextRequiringClientCertificate() {
		try {
			KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keyManagers.init(load("server.p12"), PASSWORD.toCharArray());
			TrustManagerFactory clientCa = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			clientCa.init(load("client-truststore.p12"));
			return SslContextBuilder.forServer(keyManagers)
				.sslProvider(SslProvider.JDK)
				.trustManager(clientCa)
				.clientAuth(ClientAuth.REQUIRE)
				.build();
		}
		catch (GeneralSecurityException | IOException e) {
			throw new IllegalStateException("cannot build the mutual TLS server context", e);
		}
	}

	/**
	 * A client key store (PKCS12, password {@link #trustStorePassword()}, alias
	 * {@code client}: key and chain) as a file, e.g. for a Spring SSL bundle.
	 * @param renewed the second certificate ({@link #RENEWED_CLIENT_SUBJECT}) instead of
	 * the first ({@link #CLIENT_SUBJECT})
	 */
	public static Path clientKeyStorePath(boolean renewed) {
		return copyToTempFile(renewed ? "client-renewed.p12" : "client.p12");
	}

	public static KeyStore clientKeyStore(boolean renewed) {
		try {
			return load(renewed ? "client-renewed.p12" : "client.p12");
		}
		catch (GeneralSecurityException | IOException e) {
			throw new IllegalStateException("cannot load the test client key store", e);
		}
	}

	/**
	 * A Netty client context with the client certificate and trusting the test CA, for
	 * mutual TLS without Spring.
	 */
	public static SslContext clientContextWithCertificate(boolean renewed) {
		try {
			KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keyManagers.init(clientKeyStore(renewed), PASSWORD.toCharArray());
			return SslContextBuilder.forClient().keyManager(keyManagers).trustManager(trustManagerFactory()).build();
		}
		catch (GeneralSecurityException | IOException e) {
			throw new IllegalStateException("cannot build the test client TLS context", e);
		}
	}

	/**
	 * The trust store (PKCS12, holding the test CA) as a file, for clients configured by
	 * path.
	 */
	public static Path trustStorePath() {
		Path file = trustStoreFile;
		if (file == null) {
			synchronized (TestTls.class) {
				file = trustStoreFile;
				if (file == null) {
					file = copyToTempFile("truststore.p12");
					trustStoreFile = file;
				}
			}
		}
		return file;
	}

	/** Classpath location of the trust store, for clients configured by resource. */
	public static String trustStoreResource() {
		return BASE.substring(1) + "truststore.p12";
	}

	public static String trustStoreType() {
		return "PKCS12";
	}

	public static String trustStorePassword() {
		return PASSWORD;
	}

	public static KeyStore trustStore() {
		try {
			return load("truststore.p12");
		}
		catch (GeneralSecurityException | IOException e) {
			throw new IllegalStateException("cannot load the test trust store", e);
		}
	}

	/** Trusts the test CA, and nothing else. */
	public static TrustManagerFactory trustManagerFactory() {
		try {
			TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			factory.init(trustStore());
			return factory;
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException(e);
		}
	}

	/**
	 * A client context trusting the test CA, e.g. for
	 * {@code HttpClient.newBuilder().sslContext(...)}.
	 */
	public static SSLContext clientSslContext() {
		try {
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, trustManagerFactory().getTrustManagers(), null);
			return context;
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException(e);
		}
	}

	private static KeyStore load(String name) throws GeneralSecurityException, IOException {
		try (InputStream in = open(name)) {
			KeyStore keyStore = KeyStore.getInstance("PKCS12");
			keyStore.load(in, PASSWORD.toCharArray());
			return keyStore;
		}
	}

	private static InputStream open(String name) throws IOException {
		InputStream in = TestTls.class.getResourceAsStream(BASE + name);
		if (in == null) {
			throw new IOException("missing resource " + BASE + name);
		}
		return in;
	}

	private static Path copyToTempFile(String name) {
		try (InputStream in = open(name)) {
			Path file = Files.createTempFile("cm-test-", "-" + name);
			file.toFile().deleteOnExit();
			Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
			return file;
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

}
