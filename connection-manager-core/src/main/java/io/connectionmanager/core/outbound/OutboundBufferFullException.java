package io.connectionmanager.core.outbound;

/**
 * {@code send} found the outbound buffer full and the overflow policy is {@code reject}.
 */
public class OutboundBufferFullException extends IllegalStateException {

	public OutboundBufferFullException(String connection, int messages, long bytes) {
		super("Outbound buffer of connection '" + connection + "' is full (" + messages + " messages, " + bytes
				+ " bytes): message not accepted");
	}

}
