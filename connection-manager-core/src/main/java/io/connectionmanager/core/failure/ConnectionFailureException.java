package io.connectionmanager.core.failure;

import io.connectionmanager.core.failure.Failure;

/**
 * Carries a classified {@link Failure} where an exception is needed (e.g. Resilience4j's
 * {@code onError}).
 */
public class ConnectionFailureException extends Exception {

	private final transient Failure failure;

	public ConnectionFailureException(Failure failure) {
		super(failure.describe(), failure.exception(), false, false);
		this.failure = failure;
	}

	public Failure failure() {
		return this.failure;
	}

}
