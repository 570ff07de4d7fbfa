package io.connectionmanager.core.event;

import java.time.Duration;
import java.time.Instant;

/**
 * A ping went unanswered: no pong and no other inbound traffic within the timeout. The
 * connection is treated as dead and moves to RECONNECTING right after this is reported.
 *
 * @param connection the connection's name
 * @param silence how long nothing was received
 * @param timestamp when it was detected
 */
public record HeartbeatMissed(String connection, Duration silence, Instant timestamp) {

}
