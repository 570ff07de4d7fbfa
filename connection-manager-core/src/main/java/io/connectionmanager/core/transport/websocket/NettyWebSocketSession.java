package io.connectionmanager.core.transport.websocket;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.connectionmanager.core.transport.Message;
import io.connectionmanager.core.transport.TransportSession;
import io.connectionmanager.core.transport.netty.ChannelFutures;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/** An upgraded WebSocket channel. */
final class NettyWebSocketSession implements TransportSession {

	/** How long to wait for the peer's close frame before dropping the TCP connection ourselves. */
	private static final long CLOSE_HANDSHAKE_MILLIS = 1000;

	private final Channel channel;

	private final String subprotocol;

	private final CompletableFuture<Void> closed = new CompletableFuture<>();

	private volatile boolean closeSent;

	NettyWebSocketSession(Channel channel, String subprotocol) {
		this.channel = channel;
		this.subprotocol = subprotocol;
		channel.closeFuture().addListener((future) -> this.closed.complete(null));
	}

	@Override
	public CompletableFuture<Void> send(Message message) {
		WebSocketFrame frame = (message instanceof Message.Text text) ? new TextWebSocketFrame(text.text())
				: new BinaryWebSocketFrame(Unpooled.wrappedBuffer(((Message.Binary) message).data()));
		return ChannelFutures.toCompletable(this.channel.writeAndFlush(frame));
	}

	@Override
	public boolean ping(byte[] payload) {
		this.channel.writeAndFlush(new PingWebSocketFrame(Unpooled.wrappedBuffer(payload)));
		return true;
	}

	@Override
	public CompletableFuture<Void> close(int code, String reason) {
		if (!this.channel.isActive() || this.closeSent) {
			this.channel.close();
			return this.closed;
		}
		markCloseSent();
		this.channel.writeAndFlush(new CloseWebSocketFrame(code, reason));
		this.channel.eventLoop().schedule(() -> {
			this.channel.close();
		}, CLOSE_HANDSHAKE_MILLIS, TimeUnit.MILLISECONDS);
		return this.closed;
	}

	@Override
	public void abort() {
		this.channel.close();
	}

	@Override
	public void setReadable(boolean readable) {
		this.channel.config().setAutoRead(readable);
	}

	@Override
	public String subprotocol() {
		return this.subprotocol;
	}

	boolean closeSent() {
		return this.closeSent;
	}

	void markCloseSent() {
		this.closeSent = true;
	}

}
