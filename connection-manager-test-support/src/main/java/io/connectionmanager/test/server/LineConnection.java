package io.connectionmanager.test.server;

import io.connectionmanager.test.net.LoopbackServer;
import io.netty.channel.Channel;

import java.util.concurrent.CompletableFuture;

/**
 * The server's side of one {@link TestLineServer} connection, handed to the
 * {@code onLine} hook.
 */
public final class LineConnection {

	private final Channel channel;

	private final TestLineServer.Framing framing;

	LineConnection(Channel channel, TestLineServer.Framing framing) {
		this.channel = channel;
		this.framing = framing;
	}

	/** Sends one message, framed (newline appended, or length prefix). */
	public CompletableFuture<Void> send(String message) {
		CompletableFuture<Void> result = new CompletableFuture<>();
		channel.writeAndFlush(framing == TestLineServer.Framing.LINES ? message + "\n" : message).addListener(f -> {
			if (f.isSuccess()) {
				result.complete(null);
			}
			else {
				result.completeExceptionally(f.cause());
			}
		});
		return result;
	}

	/** Graceful close (FIN). */
	public void close() {
		channel.close();
	}

	/** Abrupt close (RST). */
	public void abort() {
		LoopbackServer.abort(channel);
	}

	public boolean isOpen() {
		return channel.isActive();
	}

}
