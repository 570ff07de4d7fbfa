package io.connectionmanager.core.internal.transport.netty;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import io.connectionmanager.core.config.InvalidConnectionSettingException;
import io.connectionmanager.core.config.TlsSettings;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;

/**
 * Client TLS with certificate and host-name verification always on (unless host names are
 * turned off).
 */
public final class TlsContexts {

	private TlsContexts() {
	}

	public static SslContext clientContext(TlsSettings tls) {
		try {
			// Set on the context: Netty 4.2 client contexts default to HTTPS
			// identification, and a null set later on
			// the engine's parameters is ignored.
			SslContextBuilder builder = SslContextBuilder.forClient()
				.endpointIdentificationAlgorithm(tls.verifyHostname() ? "HTTPS" : null);
			if (tls.trustStore() != null) {
				builder.trustManager(trustManagers(tls));
			}
			return builder.build();
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new InvalidConnectionSettingException("tls.trust-store", tls.trustStore(),
					"could not be loaded: " + ex.getMessage());
		}
	}

	/** A handler for one connection; SNI and host-name verification use {@code host}. */
	public static SslHandler newHandler(SslContext context, TlsSettings tls, ByteBufAllocator alloc, String host,
			int port) {
		String peerName = (tls.serverName() != null) ? tls.serverName() : host;
		SslHandler handler = context.newHandler(alloc, peerName, port);
		SSLEngine engine = handler.engine();
		SSLParameters parameters = engine.getSSLParameters();
		parameters.setEndpointIdentificationAlgorithm(tls.verifyHostname() ? "HTTPS" : null);
		engine.setSSLParameters(parameters);
		return handler;
	}

	private static TrustManagerFactory trustManagers(TlsSettings tls) throws IOException, GeneralSecurityException {
		KeyStore store = KeyStore.getInstance((tls.trustStoreType() != null) ? tls.trustStoreType() : "PKCS12");
		char[] password = (tls.trustStorePassword() != null) ? tls.trustStorePassword().toCharArray() : null;
		try (InputStream in = Files.newInputStream(tls.trustStore())) {
			store.load(in, password);
		}
		TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		factory.init(store);
		return factory;
	}

}
