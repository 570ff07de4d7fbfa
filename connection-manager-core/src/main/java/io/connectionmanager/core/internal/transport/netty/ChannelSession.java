package io.connectionmanager.core.internal.transport.netty;

import java.util.concurrent.CompletableFuture;

import io.connectionmanager.core.transport.TransportSession;
import io.netty.channel.Channel;

/**
 * What every Netty-backed session shares: writes as futures, abort, and reading on/off
 * for backpressure.
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

	protected final CompletableFuture<Void> write(Object message) {
		return ChannelFutures.toCompletable(this.channel.writeAndFlush(message));
	}

	@Override
	public void abort() {
		this.channel.close();
	}

	@Override
	public void setReadable(boolean readable) {
		this.channel.config().setAutoRead(readable);
	}

}
