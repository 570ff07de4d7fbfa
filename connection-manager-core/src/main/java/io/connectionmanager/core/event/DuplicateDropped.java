package io.connectionmanager.core.event;

import java.time.Instant;

/**
 * A message at or below the last delivered position arrived again (typically replayed
 * after a resume) and was dropped before the application saw it.
 *
 * @param connection the connection's name
 * @param position the duplicate's position
 * @param lastDelivered the last position delivered to the application
 * @param timestamp when it was dropped
 */
public record DuplicateDropped(String connection, String position, String lastDelivered, Instant timestamp) {

}
