package io.connectionmanager.core.internal.transport.netty;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Set;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import io.connectionmanager.core.config.InvalidConnectionSettingException;
import io.connectionmanager.core.config.TlsSettings;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;

/**
 * Client TLS with certificate and host-name verification always on (unless host names are
 * turned off).
 */
public final class TlsContexts {

	/**
	 * TLS alerts (RFC 8446 section 6.2) a server sends about the client's certificate.
	 */
	private static final Set<String> CLIENT_CERTIFICATE_ALERTS = Set.of("certificate_required", "bad_certificate",
			"unsupported_certificate", "certificate_revoked", "certificate_expired", "certificate_unknown",
			"unknown_ca", "access_denied");

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

	/**
	 * Goes right after the TLS handler. A server that requires a client certificate
	 * answers a missing or unacceptable one with a TLS alert, which under TLS 1.3 arrives
	 * after the client's side of the handshake is complete, as a plain
	 * {@link SSLException} that would look retryable. Received certificate alerts become
	 * an {@link SSLHandshakeException} that says what to do (classified as a certificate
	 * failure: fatal by default).
	 */
	public static ChannelInboundHandlerAdapter failureTranslator() {
		return new ChannelInboundHandlerAdapter() {
			@Override
			public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
				ctx.fireExceptionCaught(translate(cause));
			}
		};
	}

	/** A received certificate alert as an actionable {@link SSLHandshakeException}. */
	public static Throwable translate(Throwable cause) {
		String alert = receivedCertificateAlert(cause);
		if (alert == null) {
			return cause;
		}
		SSLHandshakeException rejected = new SSLHandshakeException("The server rejected the client certificate, "
				+ "or requires one and none was offered (TLS alert " + alert + "): configure a client certificate "
				+ "the server trusts (ssl.bundle, or ManagedConnectionBuilder.sslContext)");
		rejected.initCause(cause);
		return rejected;
	}

	private static String receivedCertificateAlert(Throwable cause) {
		for (Throwable t = cause; t != null; t = t.getCause()) {
			String message = t.getMessage();
			if (t instanceof SSLException && message != null && message.startsWith("Received fatal alert: ")) {
				String alert = message.substring("Received fatal alert: ".length()).trim();
				return CLIENT_CERTIFICATE_ALERTS.contains(alert) ? alert : null;
			}
		}
		return null;
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
