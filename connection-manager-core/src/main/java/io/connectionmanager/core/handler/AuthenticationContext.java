package io.connectionmanager.core.handler;

/**
 * The session while it authenticates: everything a {@link ConnectionSession} offers (what
 * {@code send} sends here leaves before anything else on the session), plus the verdict.
 * Verdicts given after the attempt ended (timeout, peer closed) are ignored, so a late
 * answer can never promote a stale connection.
 * <p>
 * Threading: every method may be called from any thread and none blocks.
 */
public interface AuthenticationContext extends ConnectionSession {

	/** The exchange succeeded: the connection becomes CONNECTED. */
	void succeed();

	/**
	 * The peer rejected the credentials: fatal by default (no retry until an explicit
	 * connect).
	 */
	void reject(String reason);

	/** The exchange failed in a way worth retrying (e.g. a transient server error). */
	void fail(String reason);

}
