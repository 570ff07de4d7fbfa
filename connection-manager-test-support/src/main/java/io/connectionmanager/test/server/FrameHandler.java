package io.connectionmanager.test.server;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * Handles the frames of one upgraded connection: hands messages to the server (echo or
 * hook), answers pings unless told not to, and completes closing handshakes from either
 * side.
 */
final class FrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

	private final TestWebSocketServer server;

	private final ServerConnection connection;

	FrameHandler(TestWebSocketServer server, ServerConnection connection) {
		this.server = server;
		this.connection = connection;
	}

	@Override
	protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
		if (frame instanceof TextWebSocketFrame text) {
			server.textReceived(connection, text.text());
		}
		else if (frame instanceof BinaryWebSocketFrame binary) {
			server.binaryReceived(connection, ByteBufUtil.getBytes(binary.content()));
		}
		else if (frame instanceof PingWebSocketFrame) {
			if (server.pingReceived()) {
				ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
			}
		}
		else if (frame instanceof PongWebSocketFrame) {
			server.pongReceived();
		}
		else if (frame instanceof CloseWebSocketFrame close) {
			server.closeReceived(close.statusCode());
			if (connection.closeSent()) {
				ctx.close(); // the client answered our close frame
			}
			else {
				connection.markCloseSent();
				ctx.writeAndFlush(new CloseWebSocketFrame(true, 0, frame.content().retain()))
					.addListener(ChannelFutureListener.CLOSE);
			}
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		server.closed(connection);
		ctx.fireChannelInactive();
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		ctx.close();
	}

}
