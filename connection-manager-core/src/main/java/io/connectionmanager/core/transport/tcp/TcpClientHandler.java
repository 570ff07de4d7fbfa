package io.connectionmanager.core.transport.tcp;

import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import io.connectionmanager.core.config.Framing;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.core.transport.TransportListener;
import io.connectionmanager.core.transport.TransportSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;

/**
 * Opens the session once TCP (and TLS, if any) is up, then turns frames into messages: text for lines, binary for
 * length-prefixed. Reports the end of an open session exactly once.
 */
final class TcpClientHandler extends ChannelInboundHandlerAdapter {

	/** TCP has no close frame: an end of stream is an abnormal closure in WebSocket terms. */
	private static final int ABNORMAL_CLOSURE = 1006;

	private final Framing framing;

	private final TransportListener listener;

	private final CompletableFuture<TransportSession> opened;

	private final SslHandler tls;

	private TcpSession session;

	private Throwable error;

	TcpClientHandler(Framing framing, TransportListener listener, CompletableFuture<TransportSession> opened,
			SslHandler tls) {
		this.framing = framing;
		this.listener = listener;
		this.opened = opened;
		this.tls = tls;
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) {
		if (this.tls == null) {
			open(ctx);
		}
		else {
			this.tls.handshakeFuture().addListener((handshake) -> {
				if (handshake.isSuccess()) {
					open(ctx);
				}
				else {
					this.opened.completeExceptionally(handshake.cause());
					ctx.close();
				}
			});
		}
		ctx.fireChannelActive();
	}

	private void open(ChannelHandlerContext ctx) {
		this.session = new TcpSession(ctx.channel(), this.framing);
		if (!this.opened.complete(this.session)) {
			ctx.close();
		}
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		try {
			if (this.session == null || !(msg instanceof ByteBuf frame)) {
				return;
			}
			this.listener.onMessage((this.framing == Framing.LINES) ? Message.text(frame.toString(StandardCharsets.UTF_8))
					: Message.binary(ByteBufUtil.getBytes(frame)));
		}
		finally {
			ReferenceCountUtil.release(msg);
		}
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		if (!this.opened.isDone()) {
			this.opened.completeExceptionally(cause);
		}
		else if (this.error == null) {
			this.error = cause;
		}
		ctx.close();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		if (!this.opened.isDone()) {
			this.opened.completeExceptionally(new ClosedChannelException());
		}
		else if (this.session != null) {
			if (this.error != null) {
				this.listener.onError(this.error);
			}
			else {
				this.listener.onClosed(ABNORMAL_CLOSURE, "end of stream");
			}
		}
		ctx.fireChannelInactive();
	}

}
