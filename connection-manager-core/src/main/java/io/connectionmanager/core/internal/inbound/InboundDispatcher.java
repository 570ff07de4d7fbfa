package io.connectionmanager.core.internal.inbound;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.connectionmanager.core.config.InboundSettings;
import io.connectionmanager.core.resume.StreamPosition;
import io.connectionmanager.core.transport.Message;

/**
 * Hands inbound messages to the application on a handler thread, in order, through a
 * queue bounded by count and bytes. Reaching either bound pauses reading from the
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

	private final Executor handlerExecutor;

	private final Consumer<Delivery> handler;

	private final Consumer<Boolean> readable;

	private final Executor loop;

	private final ConcurrentLinkedQueue<Delivery> queue = new ConcurrentLinkedQueue<>();

	private final AtomicInteger messages = new AtomicInteger();

	private final AtomicLong bytes = new AtomicLong();

	private final AtomicBoolean draining = new AtomicBoolean();

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
	 * @param handlerExecutor where the handler runs (a shared pool); deliveries for this
	 * connection stay serial
	 * @param handler delivers one message to the application
	 * @param readable turns reading from the current transport session on ({@code true})
	 * or off; runs on {@code loop}
	 * @param loop the connection's event loop, where every pause/resume decision is taken
	 */
	public InboundDispatcher(InboundSettings settings, Executor handlerExecutor, Consumer<Delivery> handler,
			Consumer<Boolean> readable, Executor loop) {
		this.settings = settings;
		this.handlerExecutor = handlerExecutor;
		this.handler = handler;
		this.readable = readable;
		this.loop = loop;
	}

	/** A message and what the engine knows about it. */
	public record Delivery(Message message, StreamPosition position) {
	}

	/** Called on the event loop for each message to deliver. */
	public void enqueue(Delivery delivery) {
		this.queue.add(delivery);
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
		if (this.draining.compareAndSet(false, true)) {
			this.handlerExecutor.execute(this::drain);
		}
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

	private void drain() {
		while (true) {
			Delivery delivery;
			while ((delivery = this.queue.poll()) != null) {
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
			this.draining.set(false);
			// A message enqueued after the poll came back empty but before the flag
			// cleared would be stranded.
			if (this.queue.isEmpty() || !this.draining.compareAndSet(false, true)) {
				return;
			}
		}
	}

}
