package io.connectionmanager.core.internal.outbound;

import io.connectionmanager.core.outbound.MessageNotSentException;
import io.connectionmanager.core.outbound.OutboundBufferFullException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import io.connectionmanager.core.config.OutboundSettings;
import io.connectionmanager.core.transport.Message;

/**
 * Holds messages sent while they cannot be written (not CONNECTED, or the transport's
 * write buffer is full), bounded by count and bytes, and releases them in order, once,
 * when they can. A refused message fails its future; nothing here throws. The decision
 * "write now or buffer" and the flush are made under one lock, so a send racing with the
 * flush can never overtake a buffered message.
 */
public final class OutboundBuffer {

	private final String connection;

	private final OutboundSettings settings;

	private final ArrayDeque<Pending> pending = new ArrayDeque<>();

	private long bytes;

	private long dropped;

	private boolean open;

	public OutboundBuffer(String connection, OutboundSettings settings) {
		this.connection = connection;
		this.settings = settings;
	}

	/**
	 * Writes through {@code writer} while open and {@code writable}, else buffers
	 * (applying the overflow policy). Finding the transport unwritable closes the buffer
	 * until {@link #open} is called again, so later sends cannot overtake this one.
	 */
	public synchronized CompletableFuture<Void> offer(Message message,
			Function<Message, CompletableFuture<Void>> writer, BooleanSupplier writable) {
		if (this.open) {
			if (writable.getAsBoolean()) {
				return writer.apply(message);
			}
			this.open = false;
		}
		int size = message.size();
		if (size > this.settings.bufferBytes()) {
			return CompletableFuture
				.failedFuture(new OutboundBufferFullException(this.connection, this.pending.size(), this.bytes));
		}
		while (this.pending.size() >= this.settings.bufferSize() || this.bytes + size > this.settings.bufferBytes()) {
			if (this.settings.overflow() == OutboundSettings.Overflow.REJECT) {
				return CompletableFuture
					.failedFuture(new OutboundBufferFullException(this.connection, this.pending.size(), this.bytes));
			}
			Pending oldest = this.pending.poll();
			this.bytes -= oldest.size;
			this.dropped++;
			oldest.future.completeExceptionally(new MessageNotSentException(
					"Dropped from the full outbound buffer of connection '" + this.connection + "' (drop-oldest)"));
		}
		Pending entry = new Pending(message, size, new CompletableFuture<>());
		this.pending.add(entry);
		this.bytes += size;
		return entry.future;
	}

	/**
	 * CONNECTED: writes everything buffered, in order, then lets sends through directly.
	 */
	public synchronized void open(Function<Message, CompletableFuture<Void>> writer) {
		Pending entry;
		while ((entry = this.pending.poll()) != null) {
			this.bytes -= entry.size;
			CompletableFuture<Void> target = entry.future;
			writer.apply(entry.message).whenComplete((ignored, error) -> {
				if (error != null) {
					target.completeExceptionally(error);
				}
				else {
					target.complete(null);
				}
			});
		}
		this.open = true;
	}

	/** Not CONNECTED any more: sends are buffered again. */
	public synchronized void close() {
		this.open = false;
	}

	/**
	 * The connection stopped for good (disconnect, FATAL): every buffered message fails.
	 * Returns how many.
	 */
	public synchronized int discard(String reason) {
		int count = this.pending.size();
		Pending entry;
		while ((entry = this.pending.poll()) != null) {
			entry.future.completeExceptionally(
					new MessageNotSentException("Not sent: connection '" + this.connection + "' " + reason));
		}
		this.bytes = 0;
		return count;
	}

	/** Whether sends go straight through. */
	public synchronized boolean isOpen() {
		return this.open;
	}

	public synchronized int size() {
		return this.pending.size();
	}

	public synchronized long bytes() {
		return this.bytes;
	}

	public synchronized long dropped() {
		return this.dropped;
	}

	private record Pending(Message message, int size, CompletableFuture<Void> future) {
	}

}
