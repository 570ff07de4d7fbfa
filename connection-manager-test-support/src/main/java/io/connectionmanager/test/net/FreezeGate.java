package io.connectionmanager.test.net;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;

import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;

/**
 * First handler of every connection: models a stopped process. While frozen nothing
 * reaches the application and nothing leaves the socket. Stopping autoRead alone is not
 * enough, because a read may already be under way when {@code freeze()} is called;
 * whatever slips through is parked here and replayed, in order, on thaw. Writes are
 * parked too (a SIGSTOPped process sends nothing, and sends what it had queued once
 * resumed). Both queues stay small since reading has stopped.
 */
final class FreezeGate extends ChannelDuplexHandler {

	private record PendingWrite(Object message, ChannelPromise promise) {
	}

	private final BooleanSupplier frozen;

	private final ArrayDeque<Object> inbound = new ArrayDeque<>();

	private final ArrayDeque<PendingWrite> outbound = new ArrayDeque<>();

	private ChannelHandlerContext ctx;

	FreezeGate(BooleanSupplier frozen) {
		this.frozen = frozen;
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.ctx = ctx;
		if (frozen.getAsBoolean()) {
			ReadHolds.hold(ctx.channel(), ReadHolds.FROZEN);
		}
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (frozen.getAsBoolean() || !inbound.isEmpty()) {
			inbound.add(msg);
			ReadHolds.hold(ctx.channel(), ReadHolds.FROZEN);
		}
		else {
			ctx.fireChannelRead(msg);
		}
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		if (inbound.isEmpty()) {
			ctx.fireChannelReadComplete();
		}
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		if (frozen.getAsBoolean() || !outbound.isEmpty()) {
			outbound.add(new PendingWrite(msg, promise));
		}
		else {
			ctx.write(msg, promise);
		}
	}

	@Override
	public void flush(ChannelHandlerContext ctx) {
		if (outbound.isEmpty()) {
			ctx.flush();
		}
	}

	/** Stops reading; must run on the channel's event loop. */
	void freeze() {
		ReadHolds.hold(ctx.channel(), ReadHolds.FROZEN);
	}

	/**
	 * Replays what was parked, then reads again; must run on the channel's event loop.
	 */
	void thaw() {
		if (frozen.getAsBoolean()) {
			return;
		}
		if (!outbound.isEmpty()) {
			for (PendingWrite write; (write = outbound.poll()) != null;) {
				ctx.write(write.message(), write.promise());
			}
			ctx.flush();
		}
		if (!inbound.isEmpty()) {
			for (Object msg; (msg = inbound.poll()) != null;) {
				ctx.fireChannelRead(msg);
			}
			ctx.fireChannelReadComplete();
		}
		ReadHolds.release(ctx.channel(), ReadHolds.FROZEN);
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		discard();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		discard();
		ctx.fireChannelInactive();
	}

	private void discard() {
		inbound.forEach(ReferenceCountUtil::release);
		inbound.clear();
		for (PendingWrite write; (write = outbound.poll()) != null;) {
			ReferenceCountUtil.release(write.message());
			write.promise().tryFailure(new ClosedChannelException());
		}
	}

}
