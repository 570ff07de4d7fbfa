package io.connectionmanager.core.event;

import java.time.Duration;
import java.time.Instant;

/**
 * A CONNECTED connection received no application message for {@code inbound.max-silence}
 * (counted only within {@code inbound.silence-schedule}). With
 * {@code inbound.on-silence: reconnect} a transition to RECONNECTING (cause
 * {@code DATA_SILENCE}) follows; with {@code event} this is all that happens, once per
 * silence.
 *
 * @param connection the connection's name
 * @param silentFor how long no data had arrived when the watchdog fired
 * @param timestamp when it fired
 */
public record DataSilence(String connection, Duration silentFor, Instant timestamp) {

}
