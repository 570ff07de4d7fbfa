package io.connectionmanager.core.internal.transport.websocket;

import java.util.concurrent.CompletableFuture;

import io.connectionmanager.core.failure.UpgradeRejectedException;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.core.transport.TransportListener;
import io.connectionmanager.core.transport.TransportSession;
import io.connectionmanager.core.internal.transport.netty.SessionChannelHandler;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.util.ReferenceCountUtil;

/**
 * Drives the upgrade (a non-101 answer becomes an {@link UpgradeRejectedException}
 * carrying the status), then turns frames into {@link TransportListener} calls, answering
 * pings itself and completing close handshakes.
 */
final class WebSocketClientHandler extends SessionChannelHandler {

	private static final int NO_STATUS_RECEIVED = 1005;

	private final WebSocketClientHandshaker handshaker;

	private final int maxMessageSize;

	private NettyWebSocketSession session;

	private int closeCode = ABNORMAL_CLOSURE;

	private String closeReason = "";

	WebSocketClientHandler(WebSocketClientHandshaker handshaker, TransportListener listener,
			CompletableFuture<TransportSession> opened, int maxMessageSize) {
		super(listener, opened);
		this.handshaker = handshaker;
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
		if (response.decoderResult().isFailure()) {
			// e.g. headers that never end: report what the peer did wrong, not the
			// half-parsed response
			WebSocketHandshakeException malformed = new WebSocketHandshakeException(
					"Malformed upgrade response: " + response.decoderResult().cause());
			malformed.initCause(response.decoderResult().cause());
			this.opened.completeExceptionally(malformed);
			ctx.close();
			return;
		}
		HttpResponseStatus status = response.status();
		if (status.code() != HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
			this.opened.completeExceptionally(new UpgradeRejectedException(status.code(), status.reasonPhrase(),
					response.headers().get(HttpHeaderNames.RETRY_AFTER)));
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
		// Text frames must be valid UTF-8 (RFC 6455 section 8.1); otherwise the peer is
		// broken: close 1007.
		ctx.pipeline().addBefore("aggregator", "utf8", new Utf8FrameValidator());
		this.session = new NettyWebSocketSession(ctx.channel(), this.handshaker.actualSubprotocol());
		open(ctx, this.session);
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
			ctx.writeAndFlush(
					new CloseWebSocketFrame((this.closeCode == NO_STATUS_RECEIVED) ? 1000 : this.closeCode, ""))
				.addListener(ChannelFutureListener.CLOSE);
		}
	}

	@Override
	protected int closeCode() {
		return this.closeCode;
	}

	@Override
	protected String closeReason() {
		return this.closeReason;
	}

}
