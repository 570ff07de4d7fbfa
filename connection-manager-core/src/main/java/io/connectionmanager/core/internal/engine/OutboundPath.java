package io.connectionmanager.core.internal.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import io.connectionmanager.core.NotConnectedException;
import io.connectionmanager.core.config.OutboundSettings;
import io.connectionmanager.core.internal.heartbeat.HeartbeatMonitor;
import io.connectionmanager.core.internal.outbound.OutboundBuffer;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.core.transport.TransportSession;

/**
 * The way out, with one error channel: {@code send} never throws for a state or capacity
 * reason, its future fails instead. While CONNECTED and the transport takes more, sends
 * go straight through; while CONNECTED but the transport's write buffer is above its high
 * water mark (a peer that stopped reading), and, with {@code when-disconnected: buffer},
 * while not CONNECTED, they wait in the bounded {@link OutboundBuffer} and leave in
 * order.
 */
final class OutboundPath {

	private final String connection;

	private final boolean bufferWhileDown;

	private final OutboundBuffer buffer;

	private final Supplier<ConnectionEngine.Link> link;

	private final HeartbeatMonitor heartbeat;

	private final LongAdder sent = new LongAdder();

	private final Runnable reopen;

	/**
	 * @param reopen asks the event loop to reopen the buffer if the transport is writable
	 * again
	 */
	OutboundPath(String connection, OutboundSettings settings, Supplier<ConnectionEngine.Link> link,
			HeartbeatMonitor heartbeat, Runnable reopen) {
		this.reopen = reopen;
		this.connection = connection;
		this.bufferWhileDown = settings.whenDisconnected() == OutboundSettings.WhenDisconnected.BUFFER;
		this.buffer = new OutboundBuffer(connection, settings);
		this.link = link;
		this.heartbeat = heartbeat;
	}

	CompletableFuture<Void> send(Message message) {
		try {
			ConnectionState now = this.link.get().state();
			if (!this.bufferWhileDown && now != ConnectionState.CONNECTED) {
				return CompletableFuture.failedFuture(new NotConnectedException(this.connection, now));
			}
			CompletableFuture<Void> sent = this.buffer.offer(message, this::write, this::writable);
			if (!this.buffer.isOpen() && now == ConnectionState.CONNECTED) {
				// Held because the transport was full: the event loop reopens once it
				// drains,
				// or now if it already has (its writability event may have come first).
				this.reopen.run();
			}
			return sent;
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private boolean writable() {
		TransportSession session = this.link.get().session();
		return session == null || session.isWritable();
	}

	private CompletableFuture<Void> write(Message message) {
		ConnectionEngine.Link now = this.link.get();
		if (now.state() != ConnectionState.CONNECTED || now.session() == null) {
			return CompletableFuture.failedFuture(new NotConnectedException(this.connection, now.state()));
		}
		this.heartbeat.onSent();
		this.sent.increment();
		return now.session().send(message);
	}

	/**
	 * CONNECTED and writable: what waited leaves in order, then sends go straight
	 * through.
	 */
	void open() {
		this.buffer.open(this::write);
	}

	/** The transport takes no more for now: sends wait, bounded. */
	void pause() {
		this.buffer.close();
	}

	/**
	 * The session is gone. With {@code when-disconnected: fail} nothing is held across
	 * sessions: what waited fails now.
	 */
	void sessionLost() {
		this.buffer.close();
		if (!this.bufferWhileDown) {
			this.buffer.discard("lost its session");
		}
	}

	/** The connection stopped for good: what waited fails. Returns how many. */
	int discard(String reason) {
		return this.buffer.discard(reason);
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

}
