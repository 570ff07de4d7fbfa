package io.connectionmanager.sample.feed;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One upgraded client connection: the feed's JSON protocol, WebSocket pings and the
 * client's close. Runs on the feed's single event loop, like everything else in the feed.
 */
final class FeedSession extends SimpleChannelInboundHandler<WebSocketFrame> {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final int ABNORMAL_CLOSURE = 1006;

	final SimulatedFeed feed;

	final Channel channel;

	final String path;

	boolean authenticated;

	boolean subscribed;

	boolean frozen;

	/** Why the feed itself ended this connection, if it did. */
	String closedByFeed;

	private boolean closeRecorded;

	FeedSession(SimulatedFeed feed, Channel channel, String path) {
		this.feed = feed;
		this.channel = channel;
		this.path = path;
	}

	@Override
	protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
		if (frame instanceof PingWebSocketFrame ping) {
			ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
		}
		else if (frame instanceof CloseWebSocketFrame close) {
			int code = close.statusCode();
			recordClose((code == -1) ? 1005 : code, close.reasonText());
			ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode() == -1 ? 1000 : close.statusCode(), ""))
				.addListener(ChannelFutureListener.CLOSE);
		}
		else if (frame instanceof TextWebSocketFrame text) {
			String answer = answer(text.text());
			if (answer != null) {
				ctx.writeAndFlush(new TextWebSocketFrame(answer));
			}
		}
	}

	private String answer(String text) {
		JsonNode request;
		try {
			request = JSON.readTree(text);
		}
		catch (JacksonException ex) {
			return error("not JSON");
		}
		String type = request.path("type").asString("");
		switch (type) {
			case "ping":
				return "{\"type\":\"pong\",\"id\":" + request.path("id").asLong(0) + "}";
			case "auth":
				return this.feed.authenticate(this, request.path("token").asString(""));
			case "subscribe":
				if (!this.authenticated) {
					return error("authenticate first");
				}
				JsonNode from = request.get("from");
				this.feed.subscribe(this, (from != null && from.canConvertToLong()) ? from.asLong() : null);
				return null;
			default:
				return error("unknown message type '" + type + "'");
		}
	}

	private static String error(String reason) {
		return "{\"type\":\"error\",\"reason\":\"" + reason.replace("\"", "'") + "\"}";
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		recordClose(ABNORMAL_CLOSURE, "no close frame");
		ctx.fireChannelInactive();
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		ctx.close();
	}

	private void recordClose(int code, String reason) {
		if (!this.closeRecorded) {
			this.closeRecorded = true;
			this.feed.closed(this, code, reason);
		}
	}

}
