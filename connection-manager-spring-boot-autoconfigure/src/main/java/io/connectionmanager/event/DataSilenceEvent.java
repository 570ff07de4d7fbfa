package io.connectionmanager.event;

import java.time.Duration;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.event.DataSilence;

/**
 * No application message arrived for {@code inbound.max-silence} (counted only within
 * {@code inbound.silence-schedule}). With {@code inbound.on-silence: reconnect} a state
 * change to RECONNECTING (cause {@code DATA_SILENCE}) follows; with {@code event} this is
 * all, once per silence.
 */
public class DataSilenceEvent extends ConnectionApplicationEvent {

	private final DataSilence silence;

	public DataSilenceEvent(ManagedConnection connection, DataSilence silence) {
		super(connection, silence.connection(), silence.timestamp());
		this.silence = silence;
	}

	/** How long no data had arrived. */
	public Duration getSilentFor() {
		return this.silence.silentFor();
	}

	public DataSilence getSilence() {
		return this.silence;
	}

}
