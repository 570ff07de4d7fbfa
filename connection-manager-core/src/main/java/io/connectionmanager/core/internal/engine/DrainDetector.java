package io.connectionmanager.core.internal.engine;

import java.util.function.LongConsumer;

import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.transport.Message;

/**
 * Spots the server's drain notice ({@code rotation.drain-message}, contained in a text
 * message, or the handler's {@code isDrainMessage}) on the handler lane and asks for a
 * rotation of the session it came on. The notice is consumed.
 */
final class DrainDetector {

	private final ConnectionHandler handler;

	private final String text;

	private final LongConsumer onDrain;

	DrainDetector(ConnectionHandler handler, String text, LongConsumer onDrain) {
		this.handler = handler;
		this.text = text;
		this.onDrain = onDrain;
	}

	/** On the lane: whether {@code message} was a drain notice (then it is consumed). */
	boolean consumed(long attempt, Message message, CallbackFailures failures) {
		boolean drain = this.text != null && message instanceof Message.Text text && text.text().contains(this.text);
		if (!drain) {
			try {
				drain = this.handler.isDrainMessage(message);
			}
			catch (Throwable ex) {
				failures.record("isDrainMessage", ex);
			}
		}
		if (drain) {
			this.onDrain.accept(attempt);
		}
		return drain;
	}

}
