package io.connectionmanager.test.proxy;

import io.connectionmanager.test.net.LoopbackServer;
import io.connectionmanager.test.net.ReadHolds;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Forwards one direction of a proxied connection (the channel it sits in to
 * {@code target}), applying the current {@link Faults}. Delayed or throttled bytes wait
 * in a queue ordered by release time, so order is preserved even when the delay changes.
 * Nothing is buffered without bound: reading stops while the target is unwritable or the
 * queue is over its limit. Both legs share one event loop, so this handler may touch
 * either channel directly.
 */
final class Relay extends ChannelInboundHandlerAdapter {

	private static final int QUEUE_LIMIT = 256 * 1024;

	private static final long SLICES_PER_SECOND = 20;

	private record Chunk(long releaseAt, ByteBuf data) {
	}

	private final Channel target;

	private final Faults faults;

	private final boolean corrupts;

	private final LongAdder forwarded;

	private final ArrayDeque<Chunk> queue = new ArrayDeque<>();

	private ChannelHandlerContext ctx;

	private long queuedBytes;

	private long linkFreeAt;

	private long lastReleaseAt;

	private ScheduledFuture<?> drain;

	private boolean sourceClosed;

	Relay(Channel target, Faults faults, boolean corrupts, LongAdder forwarded) {
		this.target = target;
		this.faults = faults;
		this.corrupts = corrupts;
		this.forwarded = forwarded;
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.ctx = ctx;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (!(msg instanceof ByteBuf buf) || faults.blackhole) {
			ReferenceCountUtil.release(msg);
			return;
		}
		if (corrupts) {
			faults.corrupt(buf);
		}
		long delay = faults.delayNanos;
		long rate = faults.bytesPerSecond;
		if (delay == 0 && rate == 0 && queue.isEmpty()) {
			write(buf);
			target.flush();
			holdIfTargetFull();
		}
		else {
			enqueue(buf, delay, rate);
		}
	}

	/**
	 * Our own channel's writability decides whether the peer, which writes into it, may
	 * read.
	 */
	@Override
	public void channelWritabilityChanged(ChannelHandlerContext ctx) {
		if (ctx.channel().isWritable()) {
			ReadHolds.release(target, ReadHolds.PEER_UNWRITABLE);
		}
		else {
			ReadHolds.hold(target, ReadHolds.PEER_UNWRITABLE);
		}
		ctx.fireChannelWritabilityChanged();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		sourceClosed = true;
		if (queue.isEmpty()) {
			closeTarget();
		} // else drain() closes it once the delayed bytes are out
		ctx.fireChannelInactive();
	}

	/**
	 * A socket error here is almost always an RST from this leg's peer; pass it on as an
	 * RST, as the client would have seen without the proxy, rather than as a polite FIN.
	 */
	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		if (cause instanceof IOException) {
			discardQueue();
			LoopbackServer.abort(target);
		}
		ctx.close();
	}

	private void enqueue(ByteBuf buf, long delay, long rate) {
		long now = System.nanoTime();
		long sliceSize = rate > 0 ? Math.max(1, rate / SLICES_PER_SECOND) : Integer.MAX_VALUE;
		while (buf.isReadable()) {
			int size = (int) Math.min(sliceSize, buf.readableBytes());
			long start = Math.max(now, linkFreeAt);
			linkFreeAt = rate > 0 ? start + size * 1_000_000_000L / rate : start;
			lastReleaseAt = Math.max(linkFreeAt + delay, lastReleaseAt);
			queue.add(new Chunk(lastReleaseAt, buf.readRetainedSlice(size)));
			queuedBytes += size;
		}
		buf.release();
		if (queuedBytes > QUEUE_LIMIT) {
			ReadHolds.hold(ctx.channel(), ReadHolds.QUEUE_FULL);
		}
		scheduleDrain();
	}

	private void scheduleDrain() {
		Chunk head = queue.peek();
		if (drain == null && head != null) {
			long wait = Math.max(0, head.releaseAt() - System.nanoTime());
			drain = ctx.executor().schedule(this::drain, wait, TimeUnit.NANOSECONDS);
		}
	}

	private void drain() {
		drain = null;
		long now = System.nanoTime();
		boolean wrote = false;
		for (Chunk head; (head = queue.peek()) != null && head.releaseAt() <= now;) {
			queue.poll();
			queuedBytes -= head.data().readableBytes();
			if (faults.blackhole || !target.isActive()) {
				head.data().release();
			}
			else {
				write(head.data());
				wrote = true;
			}
		}
		if (wrote) {
			target.flush();
			holdIfTargetFull();
		}
		if (queuedBytes <= QUEUE_LIMIT / 2) {
			ReadHolds.release(ctx.channel(), ReadHolds.QUEUE_FULL);
		}
		if (queue.isEmpty() && sourceClosed) {
			closeTarget();
		}
		scheduleDrain();
	}

	/**
	 * Counted before the write, so a client that has received bytes always sees them
	 * counted.
	 */
	private void write(ByteBuf data) {
		forwarded.add(data.readableBytes());
		target.write(data, target.voidPromise());
	}

	private void holdIfTargetFull() {
		if (!target.isWritable()) {
			ReadHolds.hold(ctx.channel(), ReadHolds.PEER_UNWRITABLE);
		}
	}

	private void discardQueue() {
		for (Chunk chunk; (chunk = queue.poll()) != null;) {
			chunk.data().release();
		}
		queuedBytes = 0;
	}

	private void closeTarget() {
		if (target.isActive()) {
			target.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
		}
	}

}
