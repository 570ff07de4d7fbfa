package io.connectionmanager.core.internal.engine;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import io.connectionmanager.core.outbound.NotConnectedException;
import io.connectionmanager.core.config.OutboundSettings;
import io.connectionmanager.core.internal.heartbeat.HeartbeatMonitor;
import io.connectionmanager.core.internal.outbound.OutboundBuffer;
import io.connectionmanager.core.internal.outbound.Pacer;
import io.connectionmanager.core.runtime.ConnectionExecutor;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.core.transport.TransportSession;
import io.github.resilience4j.ratelimiter.RateLimiter;

/**
 * The way out, with one error channel: {@code send} never throws for a state or capacity
 * reason, its future fails instead. Every message goes through the {@link OutboundBuffer}
 * (straight through while nothing waits) and the optional rate limit ({@link Pacer}): the
 * session's control messages first (authentication, {@code onConnected}, the subscription
 * replay), then, once the engine opens it, the application queue: what was buffered while
 * not CONNECTED ({@code when-disconnected: buffer}) or while the transport was full, then
 * live sends.
 */
final class OutboundPath {

	private final String connection;

	private final boolean bufferWhileDown;

	private final OutboundBuffer buffer;

	private final Pacer pacer;

	private final Supplier<StateMachine.Link> link;

	private final HeartbeatMonitor heartbeat;

	private final ConnectionExecutor loop;

	private final LongAdder sent = new LongAdder();

	OutboundPath(String connection, OutboundSettings settings, Supplier<StateMachine.Link> link,
			HeartbeatMonitor heartbeat, ConnectionExecutor loop) {
		this.connection = connection;
		this.bufferWhileDown = settings.whenDisconnected() == OutboundSettings.WhenDisconnected.BUFFER;
		this.link = link;
		this.heartbeat = heartbeat;
		this.loop = loop;
		this.pacer = settings.rateLimit().enabled() ? new Pacer(connection, settings.rateLimit(), loop::nanoTime)
				: null;
		this.buffer = new OutboundBuffer(connection, settings, this.pacer, loop::nanoTime, new TransportWriter(),
				this::wakeAt, loop::inExecutor, (session) -> ((AttemptSession) session).ended("message not sent"));
	}

	/** Sent through the connection: may wait across sessions, by policy. */
	CompletableFuture<Void> send(Message message) {
		ConnectionState now = this.link.get().state();
		if (!this.bufferWhileDown && now != ConnectionState.CONNECTED) {
			return CompletableFuture.failedFuture(new NotConnectedException(this.connection, now));
		}
		return this.buffer.offer(message, null, false);
	}

	/** Sent through a session: belongs to it; {@code control} while it is opening. */
	CompletableFuture<Void> send(AttemptSession session, Message message, boolean control) {
		return this.buffer.offer(message, session, control);
	}

	/** On the event loop: the session's control messages may flow. */
	void sessionUp(AttemptSession session) {
		this.buffer.sessionUp(session);
	}

	/** On the event loop: CONNECTED and the session's opening done. */
	void open(AttemptSession session) {
		this.buffer.open(session);
	}

	/**
	 * On the event loop: the session is gone. With {@code when-disconnected: fail}
	 * nothing is held across sessions: what waited fails now.
	 */
	void sessionLost(AttemptSession session) {
		this.buffer.sessionDown(session, this.bufferWhileDown, "lost its session (outbound.when-disconnected: fail)");
	}

	/**
	 * On the event loop: a rotation replaced the session; the connection's messages wait
	 * for the new one whatever {@code when-disconnected} says (it never went down).
	 */
	void sessionReplaced(AttemptSession session) {
		this.buffer.sessionDown(session, true, "its session was rotated");
	}

	/** The transport takes writes again, or a permit is due. */
	void pump() {
		this.buffer.pump();
	}

	/** The connection stopped for good: what waited fails. Returns how many. */
	int discard(String reason) {
		return this.buffer.discard(reason);
	}

	/** The rate limiter, or {@code null} without a limit. */
	RateLimiter rateLimiter() {
		return (this.pacer != null) ? this.pacer.limiter() : null;
	}

	long sent() {
		return this.sent.sum();
	}

	int buffered() {
		return this.buffer.size();
	}

	long dropped() {
		return this.buffer.dropped();
	}

	private void wakeAt(long nanoTime) {
		long delay = nanoTime - this.loop.nanoTime();
		if (delay <= 0) {
			this.loop.execute(this::pump);
		}
		else {
			this.loop.schedule(this::pump, Duration.ofNanos(delay));
		}
	}

	/** Writes to the current session. */
	private final class TransportWriter implements OutboundBuffer.Writer {

		@Override
		public CompletableFuture<Void> write(Message message, boolean batched) {
			StateMachine.Link now = OutboundPath.this.link.get();
			if (now.session() == null) {
				return CompletableFuture
					.failedFuture(new NotConnectedException(OutboundPath.this.connection, now.state()));
			}
			OutboundPath.this.heartbeat.onSent();
			OutboundPath.this.sent.increment();
			return batched ? now.session().sendBatched(message) : now.session().send(message);
		}

		@Override
		public void flush() {
			TransportSession session = OutboundPath.this.link.get().session();
			if (session != null) {
				session.flush();
			}
		}

		@Override
		public boolean writable() {
			TransportSession session = OutboundPath.this.link.get().session();
			return session != null && session.isWritable();
		}

	}

}
