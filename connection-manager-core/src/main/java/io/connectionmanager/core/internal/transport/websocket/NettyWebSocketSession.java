package io.connectionmanager.core.internal.transport.websocket;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.connectionmanager.core.transport.Message;
import io.connectionmanager.core.internal.transport.netty.ChannelSession;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

/** An upgraded WebSocket channel. */
final class NettyWebSocketSession extends ChannelSession {

	/**
	 * How long to wait for the peer's close frame before dropping the TCP connection
	 * ourselves.
	 */
	private static final long CLOSE_HANDSHAKE_MILLIS = 1000;

	private final String subprotocol;

	private volatile boolean closeSent;

	NettyWebSocketSession(Channel channel, String subprotocol) {
		super(channel);
		this.subprotocol = subprotocol;
	}

	@Override
	protected Object frame(Message message) {
		return (message instanceof Message.Text text) ? new TextWebSocketFrame(text.text())
				: new BinaryWebSocketFrame(Unpooled.wrappedBuffer(((Message.Binary) message).data()));
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
			return closedFuture();
		}
		markCloseSent();
		this.channel.writeAndFlush(new CloseWebSocketFrame(code, reason));
		this.channel.eventLoop().schedule(() -> this.channel.close(), CLOSE_HANDSHAKE_MILLIS, TimeUnit.MILLISECONDS);
		return closedFuture();
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
