package io.connectionmanager.sample.feed;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;

/**
 * Answers the HTTP upgrade: 401 on {@link SimulatedFeed#UNAUTHORIZED_PATH}, 404 on
 * unknown paths, 503 while the feed rejects upgrades, otherwise 101 and the connection
 * becomes a {@link FeedSession}. Written by hand rather than with
 * {@code WebSocketServerProtocolHandler} because the feed must be able to refuse
 * upgrades.
 */
final class FeedUpgradeHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

	private static final int MAX_FRAME = 64 * 1024;

	private final SimulatedFeed feed;

	FeedUpgradeHandler(SimulatedFeed feed) {
		this.feed = feed;
	}

	@Override
	protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
		String path = new QueryStringDecoder(request.uri()).path();
		boolean upgrade = HttpMethod.GET.equals(request.method())
				&& request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
		if (!request.decoderResult().isSuccess() || !upgrade) {
			respond(ctx, HttpResponseStatus.BAD_REQUEST, "This is a WebSocket endpoint", null);
			return;
		}
		if (path.equals(SimulatedFeed.UNAUTHORIZED_PATH)) {
			this.feed.upgradeRejected();
			respond(ctx, HttpResponseStatus.UNAUTHORIZED, "Not authorized", null);
			return;
		}
		if (!path.equals(this.feed.streamPath())) {
			this.feed.upgradeRejected();
			respond(ctx, HttpResponseStatus.NOT_FOUND, "No stream at " + path, null);
			return;
		}
		if (this.feed.isRejectingUpgrades()) {
			this.feed.upgradeRejected();
			respond(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "Feed unavailable (misbehaviour)",
					Long.toString(this.feed.retryAfterSeconds()));
			return;
		}
		WebSocketDecoderConfig config = WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(MAX_FRAME).build();
		String location = "ws://" + request.headers().get(HttpHeaderNames.HOST, "127.0.0.1") + request.uri();
		WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(location, null, config)
			.newHandshaker(request);
		if (handshaker == null) {
			WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel())
				.addListener(ChannelFutureListener.CLOSE);
			return;
		}
		FeedSession session = new FeedSession(this.feed, ctx.channel(), path);
		ctx.pipeline().addAfter(ctx.name(), "ws-aggregator", new WebSocketFrameAggregator(MAX_FRAME));
		ctx.pipeline().replace(this, "feed-session", session);
		// Registered before the 101 leaves: a client that has just connected is already
		// counted.
		this.feed.opened(session);
		handshaker.handshake(ctx.channel(), request).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		ctx.close();
	}

	private static void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String text, String retryAfter) {
		byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
				Unpooled.wrappedBuffer(body));
		response.headers()
			.set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
			.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
			.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		if (retryAfter != null) {
			response.headers().set(HttpHeaderNames.RETRY_AFTER, retryAfter);
		}
		ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
	}

}
