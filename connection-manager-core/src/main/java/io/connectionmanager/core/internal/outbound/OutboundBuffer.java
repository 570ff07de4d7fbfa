package io.connectionmanager.core.internal.outbound;

import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

import io.connectionmanager.core.config.OutboundSettings;
import io.connectionmanager.core.outbound.MessageNotSentException;
import io.connectionmanager.core.outbound.OutboundBufferFullException;
import io.connectionmanager.core.outbound.RateLimitExceededException;
import io.connectionmanager.core.transport.Message;

/**
 * Every outbound message passes here, in order. A message leaves at once when its queue
 * is flowing and empty, the transport takes more and the {@link Pacer} (if any) has a
 * permit; otherwise it waits, bounded by count and bytes, and leaves in order, once, when
 * it can. A refused message fails its future; nothing here throws.
 * <p>
 * Two queues: <em>control</em> messages of one session (what authentication and
 * {@code onConnected} send, the subscription replay) flow as soon as the session is up
 * and always before the <em>application</em> queue, which flows only once the engine
 * {@link #open opens} it after the replay. Messages sent through a session belong to it
 * and fail when it ends; messages sent through the connection may wait across sessions.
 * <p>
 * Only the event loop writes to the transport: a send from another thread always queues
 * and wakes the loop (one wake-up for many sends). A write from another thread would be a
 * task in the loop's queue, and a flush already running on the loop could overtake it.
 * The decision "write now or queue" and the flush are made under one lock, so a send
 * racing with the flush can never overtake a queued message either.
 */
public final class OutboundBuffer {

	private static final long UNPLANNED = QueuedMessage.UNPLANNED;

	private final String connection;

	private final OutboundSettings settings;

	private final Pacer pacer;

	private final LongSupplier clock;

	private final Writer writer;

	private final LongConsumer wake;

	private final BooleanSupplier onLoop;

	private final Function<Object, RuntimeException> sessionEnded;

	private final MessageQueues queues;

	private Object session;

	private long sessionSince;

	private boolean open;

	private long openSince;

	private long wakeAt = UNPLANNED;

	/**
	 * @param pacer the rate limit, or {@code null} for none
	 * @param clock monotonic nanoseconds
	 * @param writer writes to the current transport session
	 * @param wake asks for {@link #pump()} on the event loop at a {@code clock} time
	 * @param onLoop whether the calling thread is the event loop
	 * @param sessionEnded the failure of a message whose session ended
	 */
	public OutboundBuffer(String connection, OutboundSettings settings, Pacer pacer, LongSupplier clock, Writer writer,
			LongConsumer wake, BooleanSupplier onLoop, Function<Object, RuntimeException> sessionEnded) {
		this.connection = connection;
		this.settings = settings;
		this.pacer = pacer;
		this.clock = clock;
		this.writer = writer;
		this.wake = wake;
		this.onLoop = onLoop;
		this.sessionEnded = sessionEnded;
		this.queues = new MessageQueues(connection, settings);
	}

	/** Where messages go. */
	public interface Writer {

		/**
		 * Writes one message: flushed at once, or, {@code batched}, held until
		 * {@link #flush()} follows the batch.
		 */
		CompletableFuture<Void> write(Message message, boolean batched);

		void flush();

		boolean writable();

	}

	/**
	 * Sends or queues a message.
	 * @param owner the session it was sent through, or {@code null} for the connection
	 * @param isControl whether it belongs to the session's opening (before the
	 * application queue)
	 */
	public synchronized CompletableFuture<Void> offer(Message message, Object owner, boolean isControl) {
		if (owner != null && owner != this.session) {
			return CompletableFuture.failedFuture(this.sessionEnded.apply(owner));
		}
		boolean flowing = isControl || (this.open && this.queues.isEmpty(true));
		boolean direct = flowing && this.queues.isEmpty(isControl) && this.onLoop.getAsBoolean()
				&& this.writer.writable();
		if (direct && this.pacer == null) {
			return write(message, 0, false);
		}
		long now = this.clock.getAsLong();
		QueuedMessage entry = new QueuedMessage(message, message.size(), new CompletableFuture<>(), owner, isControl,
				now);
		if (direct) {
			long due = due(entry, now);
			if (due <= now) {
				return write(message, now, false);
			}
			if (due - now > timeoutNanos()) {
				return CompletableFuture.failedFuture(rateLimited());
			}
			wakeAt(due);
		}
		else if (flowing) {
			wakeAt(now);
		}
		if (!isControl && !this.queues.admit(entry)) {
			return CompletableFuture.failedFuture(new OutboundBufferFullException(this.connection,
					this.queues.applicationSize(), this.queues.bytes()));
		}
		this.queues.add(entry);
		return entry.future;
	}

	/** A session is up: its control messages flow. */
	public synchronized void sessionUp(Object owner) {
		this.session = owner;
		this.sessionSince = this.clock.getAsLong();
		pump();
	}

	/** The session's opening is done: the application queue flows after it. */
	public synchronized void open(Object owner) {
		if (owner == this.session && !this.open) {
			this.open = true;
			this.openSince = this.clock.getAsLong();
			pump();
		}
	}

	/**
	 * The session ended: its own messages fail, the connection's wait for the next one
	 * (or fail too, unless {@code keepConnectionMessages}). Returns how many failed.
	 */
	public synchronized int sessionDown(Object owner, boolean keepConnectionMessages, String reason) {
		if (owner != this.session) {
			return 0;
		}
		this.session = null;
		this.open = false;
		int failed = this.queues.failAll(true, (entry) -> this.sessionEnded.apply(entry.owner));
		failed += this.queues.failApplicationIf((entry) -> entry.owner != null || !keepConnectionMessages,
				(entry) -> (entry.owner != null) ? this.sessionEnded.apply(entry.owner) : notSent(reason));
		return failed;
	}

	/**
	 * The connection stopped for good (disconnect, FATAL): every waiting message fails.
	 * Returns how many.
	 */
	public synchronized int discard(String reason) {
		return this.queues.failAll(true, (entry) -> notSent(reason))
				+ this.queues.failAll(false, (entry) -> notSent(reason));
	}

	/**
	 * Writes what may leave now, in order; asks to be woken when the next permit is due.
	 * Called on the event loop (and by {@link #offer} under its lock).
	 */
	public synchronized void pump() {
		this.wakeAt = UNPLANNED;
		long now = this.clock.getAsLong();
		boolean written = false;
		QueuedMessage head;
		// One batch, one flush: a burst costs one socket write, not one each.
		// A full transport ends the batch (flushing is what lets it drain).
		while ((head = head()) != null && this.writer.writable()) {
			long due = due(head, now);
			if (due > now) {
				long since = Math.max(head.enqueuedAt, head.isControl ? this.sessionSince : this.openSince);
				if (due - since <= timeoutNanos()) {
					wakeAt(due);
					break;
				}
				this.queues.remove(head);
				head.future.completeExceptionally(rateLimited());
				continue;
			}
			this.queues.remove(head);
			pipe(write(head.message, now, true), head.future);
			written = true;
		}
		if (written) {
			this.writer.flush();
		}
	}

	public synchronized int size() {
		return this.queues.size();
	}

	public synchronized long bytes() {
		return this.queues.bytes();
	}

	public synchronized long dropped() {
		return this.queues.dropped();
	}

	/** One pending wake-up is enough unless an earlier one is needed. */
	private void wakeAt(long at) {
		if (this.wakeAt == UNPLANNED || at < this.wakeAt) {
			this.wakeAt = at;
			this.wake.accept(at);
		}
	}

	private QueuedMessage head() {
		if (!this.queues.isEmpty(true)) {
			return (this.session != null) ? this.queues.peek(true) : null;
		}
		return this.open ? this.queues.peek(false) : null;
	}

	/**
	 * When {@code entry} may leave: now without a rate limit. Reserves its permit once.
	 */
	private long due(QueuedMessage entry, long now) {
		if (this.pacer == null) {
			return now;
		}
		if (entry.plannedAt == UNPLANNED) {
			entry.plannedAt = this.pacer.reserve(now);
		}
		return Math.max(entry.plannedAt, this.pacer.earliest(now));
	}

	private CompletableFuture<Void> write(Message message, long now, boolean batched) {
		if (this.pacer != null) {
			this.pacer.sent(now);
		}
		try {
			return this.writer.write(message, batched);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private long timeoutNanos() {
		return (this.pacer != null) ? this.pacer.timeoutNanos() : Long.MAX_VALUE;
	}

	private RuntimeException rateLimited() {
		var limit = this.settings.rateLimit();
		return new RateLimitExceededException(this.connection, limit.limitForPeriod(), limit.limitRefreshPeriod(),
				limit.timeout());
	}

	private MessageNotSentException notSent(String reason) {
		return new MessageNotSentException("Not sent: connection '" + this.connection + "' " + reason);
	}

	private static void pipe(CompletableFuture<Void> from, CompletableFuture<Void> to) {
		from.whenComplete((ignored, error) -> {
			if (error != null) {
				to.completeExceptionally(error);
			}
			else {
				to.complete(null);
			}
		});
	}

}
