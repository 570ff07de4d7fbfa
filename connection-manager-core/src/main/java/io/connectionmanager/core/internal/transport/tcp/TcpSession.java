package io.connectionmanager.core.internal.transport.tcp;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import io.connectionmanager.core.config.Framing;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.core.internal.transport.netty.ChannelSession;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;

/**
 * An open TCP/TLS connection. Lines are UTF-8 text; length-prefixed frames carry bytes
 * (text is sent as UTF-8).
 */
final class TcpSession extends ChannelSession {

	private static final byte[] NEWLINE = { '\n' };

	private final Framing framing;

	TcpSession(Channel channel, Framing framing) {
		super(channel);
		this.framing = framing;
	}

	@Override
	protected Object frame(Message message) {
		if (this.framing == Framing.LINES) {
			if (!(message instanceof Message.Text text)) {
				throw new IllegalArgumentException("A lines-framed connection sends text messages only");
			}
			if (text.text().indexOf('\n') >= 0) {
				throw new IllegalArgumentException("A lines-framed message must not contain a newline");
			}
			return Unpooled.wrappedBuffer(text.text().getBytes(StandardCharsets.UTF_8), NEWLINE);
		}
		return Unpooled.wrappedBuffer((message instanceof Message.Text text)
				? text.text().getBytes(StandardCharsets.UTF_8) : ((Message.Binary) message).data());
	}

	/** Raw TCP has no protocol ping. */
	@Override
	public boolean ping(byte[] payload) {
		return false;
	}

	/** TCP has no close frame: a graceful close is a FIN. */
	@Override
	public CompletableFuture<Void> close(int code, String reason) {
		this.channel.close();
		return closedFuture();
	}

}
