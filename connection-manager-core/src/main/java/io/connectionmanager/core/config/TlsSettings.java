package io.connectionmanager.core.config;

import java.nio.file.Path;

/**
 * TLS for {@code wss://} and {@code tls://}. Certificate and host-name verification are
 * always on unless {@code verifyHostname} is explicitly turned off; there is deliberately
 * no "trust all" switch.
 *
 * @param trustStore a trust store to use instead of the JDK's default trust anchors, or
 * {@code null}
 * @param trustStorePassword its password, or {@code null}
 * @param trustStoreType its type, {@code PKCS12} when {@code null}
 * @param verifyHostname whether the certificate must match the host name (on by default)
 * @param serverName the SNI name to send instead of the URL's host, or {@code null}
 */
public record TlsSettings(Path trustStore, String trustStorePassword, String trustStoreType, boolean verifyHostname,
		String serverName) {

	// A shared instance (settings are immutable).
	private static final TlsSettings DEFAULTS = new TlsSettings(null, null, null, true, null);

	public static TlsSettings defaults() {
		return DEFAULTS;
	}

	@Override
	public String toString() {
		return "TlsSettings[trustStore=" + this.trustStore + ", trustStorePassword=" + mask(this.trustStorePassword)
				+ ", trustStoreType=" + this.trustStoreType + ", verifyHostname=" + this.verifyHostname
				+ ", serverName=" + this.serverName + "]";
	}

	private static String mask(String secret) {
		return (secret != null) ? "******" : null;
	}

}
