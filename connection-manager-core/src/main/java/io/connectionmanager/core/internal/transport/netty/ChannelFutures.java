package io.connectionmanager.core.internal.transport.netty;

import java.util.concurrent.CompletableFuture;

import io.netty.channel.ChannelFuture;

/** Netty futures as {@link CompletableFuture}s, for the transport SPI. */
public final class ChannelFutures {

	private ChannelFutures() {
	}

	public static CompletableFuture<Void> toCompletable(ChannelFuture future) {
		CompletableFuture<Void> result = new CompletableFuture<>();
		future.addListener((done) -> {
			if (done.isSuccess()) {
				result.complete(null);
			}
			else {
				result.completeExceptionally(done.cause());
			}
		});
		return result;
	}

}
