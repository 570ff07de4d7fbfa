package io.connectionmanager.core.failure;

/**
 * What went wrong, independent of whether it is worth retrying ({@link FailurePolicy}
 * decides that).
 */
public enum FailureKind {

	/** TCP connect refused (nothing listening). */
	CONNECTION_REFUSED,

	/** The attempt did not complete within {@code connect-timeout}. */
	CONNECT_TIMEOUT,

	/** The connection was reset or closed unexpectedly (no close frame). */
	CONNECTION_LOST,

	/**
	 * The host name could not be resolved: no such name, no address, or the name server
	 * did not answer within the DNS query timeout. Retryable by default.
	 */
	DNS,

	/**
	 * The TLS handshake failed or was interrupted for a reason other than the
	 * certificate.
	 */
	TLS_HANDSHAKE,

	/** The peer's certificate (chain or host name) did not verify. */
	CERTIFICATE,

	/**
	 * The HTTP upgrade was answered with a status other than 101; see
	 * {@link Failure#httpStatus()}.
	 */
	UPGRADE_REJECTED,

	/**
	 * The peer closed the connection with a close code; see {@link Failure#closeCode()}.
	 */
	CLOSED_BY_PEER,

	/**
	 * The proxy refused to open the tunnel for a reason other than credentials: an HTTP
	 * CONNECT status other than 200 and 407 (see {@link Failure#httpStatus()}), or a
	 * SOCKS5 refusal of the target. Retryable by default (the target may come back).
	 */
	PROXY_REJECTED,

	/**
	 * The credentials were rejected: by the handler ({@code auth.reject}), or by the
	 * proxy (HTTP CONNECT 407, SOCKS5 authentication failure; see
	 * {@link ProxyRejectedException}). Fatal by default.
	 */
	AUTH_REJECTED,

	/** The authentication step failed in a way worth retrying (handler error). */
	AUTH_FAILED,

	/** The authentication step did not finish within {@code authentication-timeout}. */
	AUTH_TIMEOUT,

	/** No pong or other inbound traffic within {@code heartbeat.timeout} after a ping. */
	HEARTBEAT_TIMEOUT,

	/** An inbound message or frame exceeded the configured maximum. */
	MESSAGE_TOO_LARGE,

	/** The peer violated the wire protocol (malformed frame, bad handshake). */
	PROTOCOL_ERROR,

	/**
	 * Numeric positions jumped and the handler asked for a replay by resuming from the
	 * last delivered one.
	 */
	SEQUENCE_GAP,

	/**
	 * No application message for {@code inbound.max-silence} while CONNECTED (pongs do
	 * not count), with {@code inbound.on-silence: reconnect}. Retryable.
	 */
	DATA_SILENCE,

	/**
	 * The handler's per-attempt connect request hook failed. Retryable, unless it failed
	 * with a {@code ConnectRequestFailedException} that says it is fatal.
	 */
	CONNECT_REQUEST,

	/**
	 * The handler ended the session ({@code ConnectionSession.close}); the connection
	 * reconnects with its usual backoff. Retryable.
	 */
	SESSION_CLOSED,

	/** The backoff policy gave up after its maximum number of attempts. */
	RETRIES_EXHAUSTED,

	/** Anything else. */
	OTHER

}
