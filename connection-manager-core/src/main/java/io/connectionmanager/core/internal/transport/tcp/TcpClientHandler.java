package io.connectionmanager.core.internal.transport.tcp;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import io.connectionmanager.core.config.Framing;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.core.transport.TransportListener;
import io.connectionmanager.core.transport.TransportSession;
import io.connectionmanager.core.internal.transport.netty.SessionChannelHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.Future;
import io.netty.util.ReferenceCountUtil;

/**
 * Opens the session once TCP (and the proxy tunnel and TLS, if any) is up, then turns
 * frames into messages.
 */
final class TcpClientHandler extends SessionChannelHandler {

	private final Framing framing;

	private final Future<?> ready;

	/**
	 * @param ready completes when bytes flow to the server (TLS handshake, proxy tunnel),
	 * or {@code null} when they do once the channel is active
	 */
	TcpClientHandler(Framing framing, TransportListener listener, CompletableFuture<TransportSession> opened,
			Future<?> ready) {
		super(listener, opened);
		this.framing = framing;
		this.ready = ready;
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) {
		if (this.ready == null) {
			open(ctx, new TcpSession(ctx.channel(), this.framing));
		}
		else {
			this.ready.addListener((done) -> {
				if (done.isSuccess()) {
					open(ctx, new TcpSession(ctx.channel(), this.framing));
				}
				else {
					this.opened.completeExceptionally(done.cause());
					ctx.close();
				}
			});
		}
		ctx.fireChannelActive();
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		try {
			if (isOpen() && msg instanceof ByteBuf frame) {
				this.listener
					.onMessage((this.framing == Framing.LINES) ? Message.text(frame.toString(StandardCharsets.UTF_8))
							: Message.binary(ByteBufUtil.getBytes(frame)));
			}
		}
		finally {
			ReferenceCountUtil.release(msg);
		}
	}

}
