package io.connectionmanager.autoconfigure.ssl;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.netty.handler.ssl.SslContext;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundles;

/**
 * Client TLS contexts from Spring Boot SSL bundles ({@code ssl.bundle: <name>}), one per
 * bundle name however many connections use it. Each is the core's per-attempt
 * {@code SslContext} supplier: built when first asked for, rebuilt off the event loops
 * whenever Boot reloads the bundle ({@code reload-on-update}), so the next connect
 * attempt uses the new certificate while open connections keep theirs.
 */
public class ConnectionSslBundles {

	private final ObjectProvider<SslBundles> bundles;

	private final Map<String, BundleSslContext> contexts = new ConcurrentHashMap<>();

	public ConnectionSslBundles(ObjectProvider<SslBundles> bundles) {
		this.bundles = bundles;
	}

	/**
	 * The TLS context supplier of a bundle.
	 * @throws NoSuchSslBundleException when there is no bundle of that name (or no
	 * {@link SslBundles} at all)
	 */
	public Supplier<SslContext> sslContext(String bundleName) {
		return this.contexts.computeIfAbsent(bundleName, (name) -> {
			SslBundles available = this.bundles.getIfAvailable();
			if (available == null) {
				throw new NoSuchSslBundleException(name, "No SSL bundles are configured (spring.ssl.bundle.*)");
			}
			return new BundleSslContext(available, name);
		});
	}

}
