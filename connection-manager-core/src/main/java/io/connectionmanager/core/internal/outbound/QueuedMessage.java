package io.connectionmanager.core.internal.outbound;

import java.util.concurrent.CompletableFuture;

import io.connectionmanager.core.transport.Message;

/**
 * One message waiting in the {@link OutboundBuffer}: whose it is, which queue it is in,
 * when it could first have been written, and, once reserved, when its rate-limit permit
 * is due. Guarded by the buffer's lock.
 */
final class QueuedMessage {

	static final long UNPLANNED = Long.MIN_VALUE;

	final Message message;

	final int size;

	final CompletableFuture<Void> future;

	/** The session it was sent through, or {@code null} for the connection. */
	final Object owner;

	final boolean isControl;

	final long enqueuedAt;

	long plannedAt = UNPLANNED;

	QueuedMessage(Message message, int size, CompletableFuture<Void> future, Object owner, boolean isControl,
			long enqueuedAt) {
		this.message = message;
		this.size = size;
		this.future = future;
		this.owner = owner;
		this.isControl = isControl;
		this.enqueuedAt = enqueuedAt;
	}

}
