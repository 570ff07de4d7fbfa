package io.connectionmanager.core.handler;

/**
 * What {@link ConnectionHandler#connectRequest} fails with to say whether retrying can
 * help. Any other exception from the hook is a retryable failure; this one is fatal when
 * {@link #isFatal()} (e.g. the credentials store says the account is disabled).
 */
public class ConnectRequestFailedException extends RuntimeException {

	private final boolean fatal;

	public ConnectRequestFailedException(String message, boolean fatal) {
		this(message, fatal, null);
	}

	public ConnectRequestFailedException(String message, boolean fatal, Throwable cause) {
		super(message, cause);
		this.fatal = fatal;
	}

	/** Whether the connection should stop retrying (state FATAL). */
	public boolean isFatal() {
		return this.fatal;
	}

}
