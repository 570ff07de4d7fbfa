package io.connectionmanager.autoconfigure.ssl;

import java.util.Arrays;
import java.util.function.Supplier;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;

/**
 * One bundle as a Netty client context: its key managers (the client certificate, with
 * the bundle's key alias), its trust managers (the JDK's when the bundle has no trust
 * store), its protocols and ciphers. Rebuilt on every bundle update; a context that fails
 * to build keeps the previous one in use, and says so in the log.
 */
final class BundleSslContext implements Supplier<SslContext> {

	private static final Log logger = LogFactory.getLog(BundleSslContext.class);

	private final String name;

	private volatile SslContext current;

	BundleSslContext(SslBundles bundles, String name) {
		this.name = name;
		this.current = build(bundles.getBundle(name));
		bundles.addBundleUpdateHandler(name, this::update);
	}

	@Override
	public SslContext get() {
		return this.current;
	}

	private void update(SslBundle bundle) {
		try {
			this.current = build(bundle);
			logger.info("SSL bundle '" + this.name + "' reloaded: the next connect attempts use it");
		}
		catch (IllegalStateException ex) {
			logger.error("SSL bundle '" + this.name + "' was reloaded but cannot be used; keeping the previous one",
					ex);
		}
	}

	static SslContext build(SslBundle bundle) {
		SslManagerBundle managers = bundle.getManagers();
		SslContextBuilder builder = SslContextBuilder.forClient()
			.keyManager(managers.getKeyManagerFactory())
			.trustManager(managers.getTrustManagerFactory());
		SslOptions options = bundle.getOptions();
		if (options.getCiphers() != null) {
			builder.ciphers(Arrays.asList(options.getCiphers()));
		}
		if (options.getEnabledProtocols() != null) {
			builder.protocols(options.getEnabledProtocols());
		}
		try {
			return builder.build();
		}
		catch (SSLException ex) {
			throw new IllegalStateException("Cannot build a TLS context from the SSL bundle: " + ex.getMessage(), ex);
		}
	}

}
