package io.connectionmanager.test.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A real HTTP proxy on 127.0.0.1 that serves {@code CONNECT host:port} (RFC 9110 section
 * 9.3.6) and nothing else: with credentials configured, a request without the right
 * {@code Proxy-Authorization: Basic ...} is answered 407 with {@code Proxy-Authenticate};
 * an unreachable target is answered 502; otherwise {@code 200 Connection established} and
 * the connection becomes a byte tunnel to the target. {@link #refuseTunnels(int)} answers
 * every CONNECT with a status instead.
 */
public final class HttpConnectProxy extends TunnelingProxy {

	private volatile int refusal;

	private HttpConnectProxy(String username, String password) {
		super("cm-test-http-proxy", "http", username, password);
	}

	/** A proxy that asks for no credentials. */
	public static HttpConnectProxy start() {
		return start(null, null);
	}

	/** A proxy that requires these Basic credentials. */
	public static HttpConnectProxy start(String username, String password) {
		return started(new HttpConnectProxy(username, password));
	}

	/**
	 * Answers every (authenticated) CONNECT with this status, e.g. 403 or 502; 0 tunnels
	 * again.
	 */
	public void refuseTunnels(int status) {
		this.refusal = status;
	}

	@Override
	protected void initConnection(SocketChannel channel) {
		channel.pipeline()
			.addLast("http", new HttpServerCodec())
			.addLast("http-aggregator", new HttpObjectAggregator(8192))
			.addLast("connect", new ConnectHandler());
	}

	private final class ConnectHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
			if (!request.decoderResult().isSuccess() || !HttpMethod.CONNECT.equals(request.method())) {
				respondAndClose(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED);
				return;
			}
			if (requiresCredentials() && !authorized(request.headers().get(HttpHeaderNames.PROXY_AUTHORIZATION))) {
				respondAndClose(ctx, HttpResponseStatus.PROXY_AUTHENTICATION_REQUIRED);
				return;
			}
			int refused = refusal;
			if (refused != 0) {
				respondAndClose(ctx, HttpResponseStatus.valueOf(refused));
				return;
			}
			String authority = request.uri();
			int colon = authority.lastIndexOf(':');
			String host = authority.substring(0, colon);
			if (host.startsWith("[") && host.endsWith("]")) {
				host = host.substring(1, host.length() - 1);
			}
			int port = Integer.parseInt(authority.substring(colon + 1));
			openTunnel(ctx.channel(), host, port, () -> {
				ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
						new HttpResponseStatus(200, "Connection established")));
				// from here on the connection carries the client's bytes, not HTTP
				ctx.pipeline().remove("http-aggregator");
				ctx.pipeline().remove("http");
				ctx.pipeline().remove(this);
			}, (error) -> respondAndClose(ctx, HttpResponseStatus.BAD_GATEWAY));
		}

		private boolean authorized(String header) {
			if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
				missingCredentials();
				return false;
			}
			String decoded;
			try {
				decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
			}
			catch (IllegalArgumentException e) {
				missingCredentials();
				return false;
			}
			int colon = decoded.indexOf(':');
			return colon >= 0 && acceptsCredentials(decoded.substring(0, colon), decoded.substring(colon + 1));
		}

		private void respondAndClose(ChannelHandlerContext ctx, HttpResponseStatus status) {
			FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
					Unpooled.copiedBuffer(status.reasonPhrase() + "\n", StandardCharsets.UTF_8));
			response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
			if (status.code() == 407) {
				response.headers().set(HttpHeaderNames.PROXY_AUTHENTICATE, "Basic realm=\"test proxy\"");
			}
			ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			ctx.close();
		}

	}

}
