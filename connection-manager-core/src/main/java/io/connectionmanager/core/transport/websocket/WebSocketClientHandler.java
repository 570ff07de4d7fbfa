package io.connectionmanager.core.transport.websocket;

import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletableFuture;

import io.connectionmanager.core.failure.UpgradeRejectedException;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.core.transport.TransportListener;
import io.connectionmanager.core.transport.TransportSession;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.util.ReferenceCountUtil;

/**
 * Drives the upgrade, then turns frames into {@link TransportListener} calls. Answers pings itself. Reports the end
 * of an open session exactly once: {@code onError} if the channel broke, else {@code onClosed} with the peer's
 * close code (1006 when there was none).
 */
final class WebSocketClientHandler extends ChannelInboundHandlerAdapter {

	private static final int NO_STATUS_RECEIVED = 1005;

	private static final int ABNORMAL_CLOSURE = 1006;

	private final WebSocketClientHandshaker handshaker;

	private final TransportListener listener;

	private final CompletableFuture<TransportSession> opened;

	private final int maxMessageSize;

	private NettyWebSocketSession session;

	private int closeCode = ABNORMAL_CLOSURE;

	private String closeReason = "";

	private Throwable error;

	WebSocketClientHandler(WebSocketClientHandshaker handshaker, TransportListener listener,
			CompletableFuture<TransportSession> opened, int maxMessageSize) {
		this.handshaker = handshaker;
		this.listener = listener;
		this.opened = opened;
		this.maxMessageSize = maxMessageSize;
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) {
		this.handshaker.handshake(ctx.channel()).addListener((future) -> {
			if (!future.isSuccess()) {
				this.opened.completeExceptionally(future.cause());
				ctx.close();
			}
		});
		ctx.fireChannelActive();
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		try {
			if (this.session == null) {
				if (msg instanceof FullHttpResponse response) {
					completeUpgrade(ctx, response);
				}
				return;
			}
			if (msg instanceof TextWebSocketFrame text) {
				this.listener.onMessage(Message.text(text.text()));
			}
			else if (msg instanceof BinaryWebSocketFrame binary) {
				this.listener.onMessage(Message.binary(ByteBufUtil.getBytes(binary.content())));
			}
			else if (msg instanceof PingWebSocketFrame ping) {
				ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
				this.listener.onPing();
			}
			else if (msg instanceof PongWebSocketFrame) {
				this.listener.onPong();
			}
			else if (msg instanceof CloseWebSocketFrame close) {
				onCloseFrame(ctx, close);
			}
		}
		finally {
			ReferenceCountUtil.release(msg);
		}
	}

	private void completeUpgrade(ChannelHandlerContext ctx, FullHttpResponse response) {
		HttpResponseStatus status = response.status();
		if (status.code() != HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
			this.opened.completeExceptionally(new UpgradeRejectedException(status.code(),
					status.reasonPhrase(), response.headers().get(HttpHeaderNames.RETRY_AFTER)));
			ctx.close();
			return;
		}
		try {
			this.handshaker.finishHandshake(ctx.channel(), response);
		}
		catch (WebSocketHandshakeException ex) {
			this.opened.completeExceptionally(ex);
			ctx.close();
			return;
		}
		ctx.pipeline().addBefore(ctx.name(), "aggregator", new WebSocketFrameAggregator(this.maxMessageSize));
		this.session = new NettyWebSocketSession(ctx.channel(), this.handshaker.actualSubprotocol());
		if (!this.opened.complete(this.session)) {
			ctx.close();
		}
	}

	private void onCloseFrame(ChannelHandlerContext ctx, CloseWebSocketFrame close) {
		int code = close.statusCode();
		this.closeCode = (code == -1) ? NO_STATUS_RECEIVED : code;
		this.closeReason = close.reasonText();
		if (this.session.closeSent()) {
			ctx.close();
		}
		else {
			this.session.markCloseSent();
			ctx.writeAndFlush(new CloseWebSocketFrame(this.closeCode == NO_STATUS_RECEIVED ? 1000 : this.closeCode,
					"")).addListener(ChannelFutureListener.CLOSE);
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
			ClosedChannelException closed = new ClosedChannelException();
			closed.initCause(new IllegalStateException("connection closed before the WebSocket upgrade completed"));
			this.opened.completeExceptionally(closed);
		}
		else if (this.session != null) {
			if (this.error != null) {
				this.listener.onError(this.error);
			}
			else {
				this.listener.onClosed(this.closeCode, this.closeReason);
			}
		}
		ctx.fireChannelInactive();
	}

}
