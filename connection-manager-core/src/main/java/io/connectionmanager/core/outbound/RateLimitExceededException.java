package io.connectionmanager.core.outbound;

import java.time.Duration;

/**
 * A message could not get a send permit from the connection's outbound rate limit within
 * {@code outbound.rate-limit.timeout}; it was not sent.
 */
public class RateLimitExceededException extends MessageNotSentException {

	public RateLimitExceededException(String connection, int limitForPeriod, Duration period, Duration timeout) {
		super("Not sent: connection '" + connection + "' had no send permit within " + timeout
				+ " (outbound.rate-limit: " + limitForPeriod + " per " + period + ")");
	}

}
