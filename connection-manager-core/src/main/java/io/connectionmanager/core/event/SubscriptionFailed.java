package io.connectionmanager.core.event;

import java.time.Instant;

/**
 * A subscription was refused on the current session (the handler said so through
 * {@code Subscriptions.fail}), or its subscribe message could not be sent. The connection
 * stays up; the subscription is sent again on the next session unless it is removed.
 *
 * @param connection the connection's name
 * @param key the subscription's key
 * @param reason why, as the handler put it
 * @param attempt the session's attempt number
 * @param timestamp when it was reported
 */
public record SubscriptionFailed(String connection, String key, String reason, int attempt, Instant timestamp) {

}
