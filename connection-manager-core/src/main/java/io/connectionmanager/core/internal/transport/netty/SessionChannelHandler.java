package io.connectionmanager.core.internal.transport.netty;

import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletableFuture;

import io.connectionmanager.core.transport.TransportListener;
import io.connectionmanager.core.transport.TransportSession;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The end of a channel, reported the way the SPI promises: before the session opened, as
 * the attempt's failure; after, exactly once, as {@code onError} (the channel broke) or
 * {@code onClosed} (with the protocol's close code). Writability changes of an open
 * session are reported too.
 */
public abstract class SessionChannelHandler extends ChannelInboundHandlerAdapter {

	/** No close frame (TCP end of stream, reset): WebSocket's "abnormal closure". */
	protected static final int ABNORMAL_CLOSURE = 1006;

	protected final TransportListener listener;

	protected final CompletableFuture<TransportSession> opened;

	private TransportSession session;

	private Throwable error;

	protected SessionChannelHandler(TransportListener listener, CompletableFuture<TransportSession> opened) {
		this.listener = listener;
		this.opened = opened;
	}

	/**
	 * The session is usable: hand it to the engine (or drop it if the attempt was
	 * cancelled meanwhile).
	 */
	protected final void open(ChannelHandlerContext ctx, TransportSession openedSession) {
		this.session = openedSession;
		if (!this.opened.complete(openedSession)) {
			ctx.close();
		}
	}

	protected final boolean isOpen() {
		return this.session != null;
	}

	/**
	 * The peer's close code; {@link #ABNORMAL_CLOSURE} unless the protocol received one.
	 */
	protected int closeCode() {
		return ABNORMAL_CLOSURE;
	}

	protected String closeReason() {
		return "end of stream";
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		if (!this.opened.isDone()) {
			this.opened.completeExceptionally(cause);
		}
		else if (this.error == null) {
			this.error = cause;
		}
		ctx.close();
	}

	/**
	 * The channel crossed a write-buffer water mark: the engine holds sends while
	 * unwritable. Netty may deliver the event after the state has flipped back (a write
	 * from another thread), so the current state is reported, never a stale one.
	 */
	@Override
	public void channelWritabilityChanged(ChannelHandlerContext ctx) {
		if (this.session != null) {
			this.listener.onWritabilityChanged(ctx.channel().isWritable());
		}
		ctx.fireChannelWritabilityChanged();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		if (!this.opened.isDone()) {
			ClosedChannelException closed = new ClosedChannelException();
			closed.initCause(new IllegalStateException("connection closed before the session opened"));
			this.opened.completeExceptionally(closed);
		}
		else if (this.session != null) {
			if (this.error != null) {
				this.listener.onError(this.error);
			}
			else {
				this.listener.onClosed(closeCode(), closeReason());
			}
		}
		ctx.fireChannelInactive();
	}

}
