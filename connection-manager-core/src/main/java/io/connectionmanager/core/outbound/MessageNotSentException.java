package io.connectionmanager.core.outbound;

/**
 * A buffered message was discarded before it could be sent (dropped by overflow, or the
 * connection stopped).
 */
public class MessageNotSentException extends IllegalStateException {

	public MessageNotSentException(String message) {
		super(message);
	}

}
