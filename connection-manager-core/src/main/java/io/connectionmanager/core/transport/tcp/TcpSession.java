package io.connectionmanager.core.transport.tcp;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import io.connectionmanager.core.config.Framing;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.core.transport.TransportSession;
import io.connectionmanager.core.transport.netty.ChannelFutures;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;

/** An open TCP/TLS connection. Lines are UTF-8 text; length-prefixed frames carry bytes (text is sent as UTF-8). */
final class TcpSession implements TransportSession {

	private static final byte[] NEWLINE = { '\n' };

	private final Channel channel;

	private final Framing framing;

	private final CompletableFuture<Void> closed = new CompletableFuture<>();

	TcpSession(Channel channel, Framing framing) {
		this.channel = channel;
		this.framing = framing;
		channel.closeFuture().addListener((future) -> this.closed.complete(null));
	}

	@Override
	public CompletableFuture<Void> send(Message message) {
		ByteBuf frame;
		if (this.framing == Framing.LINES) {
			if (!(message instanceof Message.Text text)) {
				return CompletableFuture.failedFuture(
						new IllegalArgumentException("A lines-framed connection sends text messages only"));
			}
			if (text.text().indexOf('\n') >= 0) {
				return CompletableFuture.failedFuture(
						new IllegalArgumentException("A lines-framed message must not contain a newline"));
			}
			frame = Unpooled.wrappedBuffer(text.text().getBytes(StandardCharsets.UTF_8), NEWLINE);
		}
		else {
			frame = Unpooled.wrappedBuffer((message instanceof Message.Text text)
					? text.text().getBytes(StandardCharsets.UTF_8) : ((Message.Binary) message).data());
		}
		return ChannelFutures.toCompletable(this.channel.writeAndFlush(frame));
	}

	/** Raw TCP has no protocol ping. */
	@Override
	public boolean ping(byte[] payload) {
		return false;
	}

	@Override
	public CompletableFuture<Void> close(int code, String reason) {
		this.channel.close();
		return this.closed;
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
