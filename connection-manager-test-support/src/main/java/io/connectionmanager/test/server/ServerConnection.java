package io.connectionmanager.test.server;

import io.connectionmanager.test.net.LoopbackServer;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The server's side of one upgraded WebSocket connection, handed to message hooks and
 * listed by {@link TestWebSocketServer#connections()}, so a test can push, ping, close or
 * abort it. Send methods return a future completed when the frame has been written to the
 * socket.
 */
public final class ServerConnection {

	/**
	 * How long a server-initiated close waits for the client's close frame before closing
	 * TCP.
	 */
	private static final long CLOSE_GRACE_MILLIS = 2000;

	private final Channel channel;

	private final String requestUri;

	private final Map<String, List<String>> headers;

	private final String subprotocol;

	private volatile boolean closeSent;

	ServerConnection(Channel channel, String requestUri, Map<String, List<String>> headers, String subprotocol) {
		this.channel = channel;
		this.requestUri = requestUri;
		this.headers = headers;
		this.subprotocol = subprotocol;
	}

	public CompletableFuture<Void> sendText(String text) {
		return send(new TextWebSocketFrame(text));
	}

	public CompletableFuture<Void> sendBinary(byte[] data) {
		return send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(data)));
	}

	public CompletableFuture<Void> sendPing(byte[] payload) {
		return send(new PingWebSocketFrame(Unpooled.wrappedBuffer(payload)));
	}

	/**
	 * Starts a proper closing handshake: sends a close frame, then closes TCP when the
	 * client answers with its own close frame, or after a short grace period if it never
	 * does.
	 */
	public CompletableFuture<Void> close(int code, String reason) {
		closeSent = true;
		CompletableFuture<Void> sent = send(new CloseWebSocketFrame(code, reason));
		channel.eventLoop().schedule(() -> channel.close(), CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
		return sent;
	}

	/** Drops the connection with an RST, no close frame: what a crashing server does. */
	public void abort() {
		LoopbackServer.abort(channel);
	}

	public boolean isOpen() {
		return channel.isActive();
	}

	/** Path and query of the upgrade request. */
	public String requestUri() {
		return requestUri;
	}

	/** Upgrade request headers; keys are case-insensitive. */
	public Map<String, List<String>> headers() {
		return headers;
	}

	/** Selected subprotocol, or {@code null}. */
	public String subprotocol() {
		return subprotocol;
	}

	public InetSocketAddress remoteAddress() {
		return (InetSocketAddress) channel.remoteAddress();
	}

	Channel channel() {
		return channel;
	}

	boolean closeSent() {
		return closeSent;
	}

	void markCloseSent() {
		closeSent = true;
	}

	private CompletableFuture<Void> send(WebSocketFrame frame) {
		CompletableFuture<Void> result = new CompletableFuture<>();
		ChannelFuture write = channel.writeAndFlush(frame);
		write.addListener(f -> {
			if (f.isSuccess()) {
				result.complete(null);
			}
			else {
				result.completeExceptionally(f.cause());
			}
		});
		return result;
	}

	@Override
	public String toString() {
		return "ServerConnection[" + channel.remoteAddress() + " " + requestUri + "]";
	}

}
