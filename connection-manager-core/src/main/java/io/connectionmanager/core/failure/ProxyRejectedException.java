package io.connectionmanager.core.failure;

import java.io.IOException;

/**
 * The proxy refused to open the tunnel to the server. Classified as
 * {@link FailureKind#AUTH_REJECTED} (fatal by default) when it refused or asked for
 * credentials, else as {@link FailureKind#PROXY_REJECTED} (retryable). A proxy that
 * cannot be reached at all is not this: that is a refused or timed-out connect, retried
 * as usual. The message names the proxy, never its credentials.
 */
public class ProxyRejectedException extends IOException {

	private final Integer httpStatus;

	private final boolean credentialsRejected;

	/**
	 * @param message what the proxy said, with its address
	 * @param httpStatus the HTTP CONNECT status, or {@code null} (SOCKS5)
	 * @param credentialsRejected whether the proxy refused the credentials or asked for
	 * some
	 */
	public ProxyRejectedException(String message, Integer httpStatus, boolean credentialsRejected) {
		super(message);
		this.httpStatus = httpStatus;
		this.credentialsRejected = credentialsRejected;
	}

	/** The HTTP CONNECT status, or {@code null} for a SOCKS5 proxy. */
	public Integer httpStatus() {
		return this.httpStatus;
	}

	/**
	 * Whether the proxy refused the credentials or asked for some (407, SOCKS5
	 * authentication).
	 */
	public boolean credentialsRejected() {
		return this.credentialsRejected;
	}

}
