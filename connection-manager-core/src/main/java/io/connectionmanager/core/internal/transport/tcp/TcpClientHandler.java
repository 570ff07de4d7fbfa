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
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;

/**
 * Opens the session once TCP (and TLS, if any) is up, then turns frames into messages.
 */
final class TcpClientHandler extends SessionChannelHandler {

	private final Framing framing;

	private final SslHandler tls;

	TcpClientHandler(Framing framing, TransportListener listener, CompletableFuture<TransportSession> opened,
			SslHandler tls) {
		super(listener, opened);
		this.framing = framing;
		this.tls = tls;
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) {
		if (this.tls == null) {
			open(ctx, new TcpSession(ctx.channel(), this.framing));
		}
		else {
			this.tls.handshakeFuture().addListener((handshake) -> {
				if (handshake.isSuccess()) {
					open(ctx, new TcpSession(ctx.channel(), this.framing));
				}
				else {
					this.opened.completeExceptionally(handshake.cause());
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
