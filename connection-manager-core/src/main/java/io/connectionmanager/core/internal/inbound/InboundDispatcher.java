package io.connectionmanager.core.internal.inbound;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.connectionmanager.core.handler.AuthenticationContext;
import io.connectionmanager.core.config.InboundSettings;
import io.connectionmanager.core.transport.Message;

/**
 * Hands inbound messages to the application through the connection's serial lane, in
 * order, bounded by count and bytes. Reaching either bound pauses reading from the
 * transport (TCP backpressure then reaches the peer) until the handler has drained half
 * of it. A slow handler therefore costs bounded memory and never blocks the event loop
 * that other connections share.
 * <p>
 * The bound is soft by at most what the transport had already read when reading paused:
 * one read (the built-in transports cap reads at a quarter of the byte bound, at most 64
 * KiB) plus one partial message.
 */
public final class InboundDispatcher {

	private final InboundSettings settings;

	private final Executor lane;

	private final Consumer<Delivery> handler;

	private final Consumer<Boolean> readable;

	private final Executor loop;

	private final AtomicInteger messages = new AtomicInteger();

	private final AtomicLong bytes = new AtomicLong();

	/**
	 * Written on the event loop only, so pause and resume can never be applied out of
	 * order.
	 */
	private volatile boolean paused;

	private final AtomicBoolean resumeScheduled = new AtomicBoolean();

	private volatile long peakBytes;

	private volatile int peakMessages;

	/**
	 * @param settings the bounds
	 * @param lane where the handler runs: serial for this connection, off the event loop
	 * @param handler delivers one message to the application
	 * @param readable turns reading from the current transport session on ({@code true})
	 * or off; runs on {@code loop}
	 * @param loop the connection's event loop, where every pause/resume decision is taken
	 */
	public InboundDispatcher(InboundSettings settings, Executor lane, Consumer<Delivery> handler,
			Consumer<Boolean> readable, Executor loop) {
		this.settings = settings;
		this.lane = lane;
		this.handler = handler;
		this.readable = readable;
		this.loop = loop;
	}

	/** A message, the attempt whose session received it, and that session. */
	public record Delivery(Message message, long attempt, AuthenticationContext session) {
	}

	/** Called on the event loop for each message to deliver. */
	public void enqueue(Delivery delivery) {
		int queuedMessages = this.messages.incrementAndGet();
		long queuedBytes = this.bytes.addAndGet(delivery.message().size());
		if (queuedBytes > this.peakBytes) {
			this.peakBytes = queuedBytes;
		}
		if (queuedMessages > this.peakMessages) {
			this.peakMessages = queuedMessages;
		}
		if (!this.paused && (queuedMessages >= this.settings.maxQueuedMessages()
				|| queuedBytes >= this.settings.maxQueuedBytes())) {
			this.paused = true;
			this.readable.accept(false);
		}
		this.lane.execute(() -> handle(delivery));
	}

	/** Whether reading is paused; a new session must start paused too. */
	public boolean isPaused() {
		return this.paused;
	}

	public int queuedMessages() {
		return this.messages.get();
	}

	public long queuedBytes() {
		return this.bytes.get();
	}

	public long peakBytes() {
		return this.peakBytes;
	}

	public int peakMessages() {
		return this.peakMessages;
	}

	private void handle(Delivery delivery) {
		try {
			this.handler.accept(delivery);
		}
		finally {
			this.messages.decrementAndGet();
			this.bytes.addAndGet(-delivery.message().size());
			if (this.paused && isDrainedToLowWatermark() && this.resumeScheduled.compareAndSet(false, true)) {
				this.loop.execute(this::resumeIfDrained);
			}
		}
	}

	private boolean isDrainedToLowWatermark() {
		return this.messages.get() <= this.settings.maxQueuedMessages() / 2
				&& this.bytes.get() <= this.settings.maxQueuedBytes() / 2;
	}

	/**
	 * On the event loop: resume reading if the handler has caught up (and nothing
	 * re-paused meanwhile).
	 */
	private void resumeIfDrained() {
		this.resumeScheduled.set(false);
		if (this.paused && isDrainedToLowWatermark()) {
			this.paused = false;
			this.readable.accept(true);
		}
	}

}
