package io.connectionmanager.core.internal.transport.netty;

import java.util.concurrent.CompletableFuture;

import io.connectionmanager.core.transport.Message;
import io.connectionmanager.core.transport.TransportSession;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;

/**
 * What every Netty-backed session shares: writes as futures, abort, reading on/off for
 * inbound backpressure, and the channel's writability for outbound backpressure.
 */
public abstract class ChannelSession implements TransportSession {

	protected final Channel channel;

	private final CompletableFuture<Void> closed = new CompletableFuture<>();

	protected ChannelSession(Channel channel) {
		this.channel = channel;
		channel.closeFuture().addListener((future) -> this.closed.complete(null));
	}

	/** Completes when the channel has closed. */
	protected final CompletableFuture<Void> closedFuture() {
		return this.closed;
	}

	@Override
	public final CompletableFuture<Void> send(Message message) {
		return write(message, true);
	}

	@Override
	public final CompletableFuture<Void> sendBatched(Message message) {
		return write(message, false);
	}

	@Override
	public void flush() {
		this.channel.flush();
	}

	/**
	 * The transport's frame for a message.
	 * @throws IllegalArgumentException if the transport cannot carry the message
	 */
	protected abstract Object frame(Message message);

	private CompletableFuture<Void> write(Message message, boolean flush) {
		Object frame;
		try {
			frame = frame(message);
		}
		catch (IllegalArgumentException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return ChannelFutures.toCompletable(flush ? this.channel.writeAndFlush(frame) : this.channel.write(frame));
	}

	@Override
	public void abort() {
		this.channel.close();
	}

	@Override
	public void setReadable(boolean readable) {
		this.channel.config().setAutoRead(readable);
	}

	@Override
	public boolean isWritable() {
		return this.channel.isWritable();
	}

	/**
	 * What Netty holds for the peer: written but not yet taken by the socket, including
	 * writes submitted from other threads that the event loop has not run yet.
	 */
	@Override
	public long pendingOutboundBytes() {
		ChannelOutboundBuffer buffer = this.channel.unsafe().outboundBuffer();
		return (buffer != null) ? buffer.totalPendingWriteBytes() : 0;
	}

}
