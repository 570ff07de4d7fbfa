package io.connectionmanager.core.resume;

/** What to do with a message that arrived after a sequence gap. */
public enum GapAction {

	/** Deliver it and accept that the missing range is lost (it is reported). */
	DELIVER,

	/**
	 * Drop it and reconnect, resuming from the last delivered position, so the server
	 * replays the range.
	 */
	REPLAY

}
