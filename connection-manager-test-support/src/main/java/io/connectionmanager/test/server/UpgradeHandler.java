package io.connectionmanager.test.server;

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
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Answers the HTTP upgrade request according to the server's current
 * {@link UpgradePolicy}, records the attempt, and on success hands the connection over to
 * a {@link FrameHandler}. Done by hand rather than with
 * {@code WebSocketServerProtocolHandler} because tests need to reject, stall and inspect
 * handshakes.
 */
final class UpgradeHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

	private final TestWebSocketServer server;

	UpgradeHandler(TestWebSocketServer server) {
		this.server = server;
	}

	@Override
	protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
		long nanoTime = System.nanoTime();
		Instant time = Instant.now();
		Map<String, List<String>> headers = HandshakeRecord.copyOf(request.headers());
		String uri = request.uri();
		if (!request.decoderResult().isSuccess() || !isUpgrade(request)) {
			server.record(new HandshakeRecord(nanoTime, time, uri, headers, null, 400));
			respond(ctx, 400, null);
			return;
		}
		int decision = server.policy().decide(request.headers());
		if (decision == UpgradePolicy.STALL) {
			server.record(new HandshakeRecord(nanoTime, time, uri, headers, null, HandshakeRecord.NO_RESPONSE));
			return;
		}
		if (decision != UpgradePolicy.ACCEPT) {
			server.record(new HandshakeRecord(nanoTime, time, uri, headers, null, decision));
			respond(ctx, decision, server.policy().retryAfter());
			return;
		}
		WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(location(request),
				server.subprotocolHeader(), server.decoderConfig())
			.newHandshaker(request);
		if (handshaker == null) {
			server.record(new HandshakeRecord(nanoTime, time, uri, headers, null, 426));
			WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel())
				.addListener(ChannelFutureListener.CLOSE);
			return;
		}
		String subprotocol = selectSubprotocol(request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL));
		ServerConnection connection = new ServerConnection(ctx.channel(), uri, headers, subprotocol);
		// Recorded and registered before the 101 leaves, so a client that has just
		// connected sees both.
		server.record(new HandshakeRecord(nanoTime, time, uri, headers, subprotocol, 101));
		server.opened(connection);
		ctx.pipeline()
			.addAfter(ctx.name(), "ws-aggregator",
					new WebSocketFrameAggregator(server.decoderConfig().maxFramePayloadLength()));
		ctx.pipeline().replace(this, "ws-frames", new FrameHandler(server, connection));
		handshaker.handshake(ctx.channel(), request)
			.addListener(ChannelFutureListener.CLOSE_ON_FAILURE)
			.addListener(f -> {
				if (f.isSuccess()) {
					server.upgraded(connection); // hooks may write frames only after the
													// 101
				}
			});
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		ctx.close();
	}

	private static boolean isUpgrade(FullHttpRequest request) {
		return HttpMethod.GET.equals(request.method())
				&& request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
	}

	/**
	 * Same rule as Netty's handshaker: the client's first offer that the server supports.
	 */
	private String selectSubprotocol(String requested) {
		if (requested == null) {
			return null;
		}
		for (String offer : requested.split(",")) {
			String candidate = offer.trim();
			if (server.subprotocols().contains(candidate)) {
				return candidate;
			}
		}
		return null;
	}

	private String location(FullHttpRequest request) {
		String scheme = server.isTls() ? "wss" : "ws";
		return scheme + "://" + request.headers().get(HttpHeaderNames.HOST, "127.0.0.1") + request.uri();
	}

	private static void respond(ChannelHandlerContext ctx, int status, Duration retryAfter) {
		HttpResponseStatus responseStatus = HttpResponseStatus.valueOf(status);
		byte[] body = (responseStatus.reasonPhrase() + "\n").getBytes(StandardCharsets.UTF_8);
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, responseStatus,
				Unpooled.wrappedBuffer(body));
		response.headers()
			.set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
			.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
			.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		if (retryAfter != null) {
			response.headers().set(HttpHeaderNames.RETRY_AFTER, retryAfter.toSeconds());
		}
		if (status == 401) {
			response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"test\"");
		}
		ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
	}

}
